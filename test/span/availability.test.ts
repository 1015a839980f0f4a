/**
 * Must show 1 of issue 17: for every definition of every release of a
 * span, the span's availability agrees with that release's own schema (a
 * command, member, enum value, case or branch is listed as available in
 * release R exactly when R's schema has it, optional in R exactly when R
 * makes it optional).  The fleet span is every modern release whose schema
 * ../shared holds (7.2, 8.2, 10.0 and 10.2; 9.2's suite is there but not
 * its schema), plus any given in QAPI_TS_EXTRA_RELEASES (`9.2=PATH,...`);
 * the seed's span is 1.3, 7.2 and 10.2.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSchema } from '../../generator/frontend.js';
import { mergeReleases, type ReleaseModel } from '../../generator/span/merge.js';
import { requireShared, SHARED } from '../helpers/shared.js';
import { definitions, walkRelease, walkTables } from '../helpers/span-walk.js';
import { buildTables } from '../../generator/emit/parts/descriptors.js';

interface Given {
  readonly release: string;
  readonly file: string;
}

/** The modern releases whose schema ../shared holds, and extra ones. */
function fleet(): Given[] {
  const wanted = ['7.2', '8.2', '9.2', '10.0', '10.2'];
  const found = wanted.flatMap((release) => {
    const file = `${SHARED}/qemu-${release}/qapi/qapi-schema.json`;
    return existsSync(file) ? [{ release, file }] : [];
  });
  for (const item of (process.env.QAPI_TS_EXTRA_RELEASES ?? '').split(',').filter((x) => x !== '')) {
    const [release, file] = item.split('=') as [string, string];
    if (!found.some((g) => g.release === release)) found.push({ release, file });
  }
  return found;
}

function load(given: readonly Given[]): ReleaseModel[] {
  return given.map(({ release, file }) => ({
    release: { name: release, origin: 'schema', file },
    model: loadSchema(file, release === '1.3' ? { legacy: true } : { qemuVersion: release }).model,
  }));
}

const available = requireShared('qemu-10.2/qapi/qapi-schema.json', 'the availability walk').available && requireShared('qemu-1.3/qapi-schema.json', 'the availability walk').available;

describe.skipIf(!available).each([
  { span: 'the fleet', given: fleet },
  {
    span: 'the seed',
    given: (): Given[] => [
      { release: '1.3', file: `${SHARED}/qemu-1.3/qapi-schema.json` },
      { release: '7.2', file: `${SHARED}/qemu-7.2/qapi/qapi-schema.json` },
      { release: '10.2', file: `${SHARED}/qemu-10.2/qapi/qapi-schema.json` },
    ],
  },
])('$span: availability release by release', ({ given }) => {
  const releases = given();
  const inputs = load(releases);
  const merged = mergeReleases(inputs);

  it('spans the releases it was given, oldest first', () => {
    expect(releases.length).toBeGreaterThanOrEqual(3);
    expect(merged.span.releases.map((r) => r.name)).toEqual([...releases.map((r) => r.release)].sort((a, b) => Number(a.split('.')[0]) - Number(b.split('.')[0]) || Number(a.split('.')[1]) - Number(b.split('.')[1])));
  });

  it.each(inputs.map((input) => ({ name: input.release.name, model: input.model })))('QEMU $name: every command, member, value and branch as its schema has it', ({ name, model }) => {
    const { counts, problems } = walkRelease(merged, merged.span.releases.findIndex((r) => r.name === name), model);
    expect(problems).toEqual([]);
    // The walk reached the whole release (the walk itself reports a type it
    // never checked): every command and event, every member and value.
    const types = definitions(model);
    expect(counts.commands).toBe(model.entities.filter((e) => e.kind === 'command').length);
    expect(counts.events).toBe(model.entities.filter((e) => e.kind === 'event').length);
    expect(counts.members).toBeGreaterThanOrEqual(types.reduce((n, t) => n + (t.kind === 'object' ? t.members.length : 0), 0));
    expect(counts.values).toBeGreaterThanOrEqual(types.reduce((n, t) => n + (t.kind === 'enum' ? t.members.length : 0), 0));
    console.log(`availability walk, ${name}: ${JSON.stringify(counts)}`);
  });

  const tables = buildTables(merged);
  it.each(inputs.map((input) => ({ name: input.release.name, model: input.model })))(
    "QEMU $name: the run-time tables (what calls are checked against) as its schema has it",
    ({ name, model }) => {
      const { counts, problems } = walkTables(tables, merged.span.releases.findIndex((r) => r.name === name), name, model);
      expect(problems).toEqual([]);
      expect(counts.commands).toBe(model.entities.filter((e) => e.kind === 'command').length);
      expect(counts.members).toBeGreaterThan(0);
    },
  );
});
