/**
 * A span of releases as an input: each release's file read by the one
 * resolver as a file that is either a schema (in that release's language:
 * `1.3` is the 2012 dialect) or a capture (told apart by content), then the
 * models merged by the span stage (span/).  What is wrong with the span
 * itself (a release that is no QEMU version, one given twice, a schema in
 * a language qapi-ts does not know) is an InputError naming the release.
 */
import { mergeReleases, SpanError } from '../span/merge.js';
import { MAX_RELEASES, versionNumbers } from '../span/releases.js';
import { LanguageSelectionError, LEGACY_RELEASE, VERSIONED_RELEASES } from '../source/language.js';
import { InputError, type InputSource, type ReleaseSource, type ResolvedInput } from './source.js';

/** `X.Y` from `X.Y` or `X.Y.Z`; an InputError says what is wrong. */
export function releaseName(text: string): string {
  const m = /^(\d+)\.(\d+)(?:\.\d+)?$/.exec(text.trim());
  const name = m ? `${Number(m[1])}.${Number(m[2])}` : '';
  if (versionNumbers(name) === null) throw new InputError(`release '${text}': no QEMU release; give X.Y (7.2, 10.0; ${LEGACY_RELEASE} for the 2012 dialect)`);
  return name;
}

/** Reads every release (with `read`, the resolver) and merges them. */
export async function resolveSpan(releases: readonly ReleaseSource[], read: (file: InputSource) => Promise<ResolvedInput>): Promise<ResolvedInput> {
  if (releases.length === 0) throw new InputError('a span needs at least one release');
  if (releases.length > MAX_RELEASES) throw new InputError(`a span of ${releases.length} releases: at most ${MAX_RELEASES}`);
  const inputs: { input: ResolvedInput; release: { name: string; origin: 'schema' | 'introspection'; file: string } }[] = [];
  for (const given of releases) {
    const name = releaseName(given.release);
    const language = name === LEGACY_RELEASE ? { legacy: true } : { qemuVersion: name };
    let input: ResolvedInput;
    try {
      input = await read({ kind: 'file', path: given.path, language });
    } catch (e) {
      if (e instanceof InputError) throw new InputError(`release ${name}: ${e.message}`);
      if (!(e instanceof LanguageSelectionError)) throw e;
      throw new InputError(
        `release ${name}: '${given.path}' is a schema's source, and qapi-ts knows the schema language of QEMU ${LEGACY_RELEASE} and ${VERSIONED_RELEASES[0]} on only (a captured reply of any release will do)`,
      );
    }
    const origin = input.origin === 'introspection' ? 'introspection' : 'schema';
    inputs.push({ input, release: { name, origin, file: given.path } as const });
  }
  let model;
  try {
    model = mergeReleases(inputs.map(({ input, release }) => ({ release, model: input.model })));
  } catch (e) {
    if (e instanceof SpanError) throw new InputError(e.message);
    throw e;
  }
  const names = model.span.releases.map((r) => r.name).join(', ');
  return {
    model,
    origin: 'span',
    level: null,
    introspection: null,
    name: `span of QEMU ${names}`,
    label: `a span of QEMU ${names}`,
    warnings: inputs.flatMap(({ input }) => input.warnings),
    files: inputs.flatMap(({ input }) => input.files),
    // Every release's files (computed when asked, as each release's are);
    // none when some release was read from no file.
    get digests() {
      const each = inputs.map(({ input }) => input.digests);
      return each.some((d) => d === null) ? null : new Map<string, string>(each.flatMap((d) => [...d!]));
    },
  };
}
