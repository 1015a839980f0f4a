/**
 * The QAPI language by QEMU release.
 *
 * QEMU's schema language changed between releases.  Each change is one rule
 * below, stating the releases it holds for: from the release that
 * introduced it, up to the release that dropped it, if any.  QEMU 1.3's
 * 2012 dialect is a release like the others: its differences are the rules
 * that hold only before 7.2.  The front end is one implementation; its
 * stages ask the selected LanguageLevel whether a rule is in force, the way
 * a compiler consults its target.  A release between two listed ones speaks
 * the language of the older one.
 */

/** The QEMU releases whose language can be selected, oldest first. */
export const QEMU_RELEASES = ['1.3', '7.2', '8.0', '8.1', '8.2', '9.0', '9.1', '9.2', '10.0', '10.1', '10.2'] as const;
export type QemuRelease = (typeof QEMU_RELEASES)[number];

/** The release `--legacy` selects: QEMU 1.3, the release of the seed's
 *  `block-commit`.  Its 2012 dialect is a decade older than the next
 *  release here, so it has a flag of its own rather than a version. */
export const LEGACY_RELEASE = '1.3' satisfies QemuRelease;

/** The releases `--qemu-version` selects, oldest first. */
export const VERSIONED_RELEASES: readonly QemuRelease[] = QEMU_RELEASES.filter((r) => r !== LEGACY_RELEASE);

/** The language used unless another is asked for: the newest. */
export const DEFAULT_QEMU_RELEASE: QemuRelease = '10.2';

/** The rank of a release, for comparisons. */
function rank(release: QemuRelease): number {
  return QEMU_RELEASES.indexOf(release);
}

/** Whether `release` is `since` or newer. */
export function releaseAtLeast(release: QemuRelease, since: QemuRelease): boolean {
  return rank(release) >= rank(since);
}

export interface LanguageRuleSpec {
  /** The first release with the rule. */
  readonly since: QemuRelease;
  /** The first release without it again, if QEMU dropped it. */
  readonly until?: QemuRelease;
  /** What the rule says, for the documentation (Markdown). */
  readonly what: string;
}

/** Every rule that differs between releases, by the release it starts at. */
export const LANGUAGE_RULES = {
  // The 2012 dialect: what QEMU 1.3 accepted and 7.2 no longer does.
  typeKeyForStruct: { since: '1.3', until: '7.2', what: "`'type'` is the old name of `'struct'`" },
  simpleUnions: {
    since: '1.3',
    until: '7.2',
    what: "a union without `'discriminator'` is a simple union: its tag `type` is an implicit enum of the branch names, and each branch is wrapped in `data`",
  },
  anonymousStructs: { since: '1.3', until: '7.2', what: "an object in place of a member's type is an anonymous struct" },
  genNo: { since: '1.3', until: '7.2', what: "`'gen': 'no'` says what `'gen': false` says" },
  starStarAndVisitorTypes: { since: '1.3', until: '7.2', what: "the built-in types `'**'` and `'visitor'`" },
  anyReturnType: {
    since: '1.3',
    until: '7.2',
    what: "a command may return any type (later, only objects and lists of objects, save the pragma `command-returns-exceptions`)",
  },
  underscoredNames: {
    since: '1.3',
    until: '7.2',
    what: 'command names may contain `_`, member and enum value names `_` and capitals (later, only those the pragmas `command-name-exceptions` and `member-name-exceptions` name)',
  },
  unknownDocMembersWarn: {
    since: '1.3',
    until: '7.2',
    what: 'a doc comment describing a member the definition does not have is a warning, not an error',
  },
  docSymbolWithoutColon: { since: '1.3', until: '7.2', what: "a definition's doc comment may start `@NAME` without a colon" },
  optionalMarkers: {
    since: '1.3',
    until: '7.2',
    what: "`#optional` in a member's description marks it optional (recorded on the description, left out of its text)",
  },
  sinceWithoutColon: { since: '1.3', until: '7.2', what: '`Since X` without a colon is a `Since:` section' },
  unalignedDocText: { since: '1.3', until: '7.2', what: 'a description\'s continuation lines need not line up with its first' },
  memberParagraphs: {
    since: '1.3',
    until: '7.2',
    what: 'a paragraph after a blank line still belongs to the member description above it',
  },
  missingCommaSlip: {
    since: '1.3',
    until: '7.2',
    what: "a missing `,` between an object's members is accepted with a warning (a slip in QEMU 1.3's schema)",
  },
  trailingCommaSlip: {
    since: '1.3',
    until: '7.2',
    what: 'a `,` before a closing bracket is accepted with a warning (a slip in QEMU 1.3\'s schema)',
  },
  unopenedDocSlip: {
    since: '1.3',
    until: '7.2',
    what: "comment lines closed by `##` but never opened by one are a doc comment, with a warning (a slip in QEMU 1.3's schema)",
  },
  // From 8.1 on.
  looseDocIndentation: {
    since: '8.1',
    what: 'doc sections take their indentation from their first continuation line; `@name:` and section tags are recognized by pattern',
  },
  boxedConditionalArguments: { since: '8.1', what: "conditional command and event arguments need `'boxed': true`" },
  unionBranchesMayBeUnions: {
    since: '8.1',
    what: "a union's branch may be a union; clash checks reach into its branches",
  },
  paragraphDocComments: {
    since: '9.0',
    what: 'the rewritten doc-comment parser: `Errors:` sections, tags only at the start of a paragraph, descriptions indented, every member documented (pragma `documentation-exceptions`), errors at the section\'s own line, empty or repeated sections and `Features:` lines refused, `Returns:` only where something is returned',
  },
  commentAfterDocIsDoc: {
    since: '9.0',
    until: '9.1',
    what: 'a plain comment right after a doc comment is read as the start of another doc comment (a 9.0 regression)',
  },
  rstDirectives: {
    since: '9.1',
    what: '`Note:` and `Example:` sections give way to rST directives (`.. note::`, `.. qmp-example::`); a tag followed by `::` is rST',
  },
  docKeepsIndentation: { since: '9.1', what: 'doc text keeps its indentation' },
  qtypeWithoutPrefix: { since: '9.2', what: 'the built-in enum `QType` has no prefix' },
  featureLimit: { since: '10.0', what: 'at most 64 distinct features in a schema' },
  headingsAnywhere: { since: '10.1', what: '`=` lines are allowed anywhere in doc comments' },
  docLineFormat: {
    since: '10.2',
    what: 'doc lines are at most 70 columns, with two spaces between sentences (except in literal blocks)',
  },
} as const satisfies Record<string, LanguageRuleSpec>;

export type LanguageRule = keyof typeof LANGUAGE_RULES;

/** Whether a rule holds for a release. */
function ruleHolds(rule: LanguageRule, release: QemuRelease): boolean {
  const spec: LanguageRuleSpec = LANGUAGE_RULES[rule];
  return releaseAtLeast(release, spec.since) && (spec.until === undefined || !releaseAtLeast(release, spec.until));
}

/** The releases a rule holds for, oldest first. */
export function ruleReleases(rule: LanguageRule): QemuRelease[] {
  return QEMU_RELEASES.filter((r) => ruleHolds(rule, r));
}

/** The command-line arguments that select a release's language. */
export function releaseFlags(release: QemuRelease): readonly string[] {
  return release === LEGACY_RELEASE ? ['--legacy'] : ['--qemu-version', release];
}

/** The options of loadSchema (and generate) that select a release's
 *  language. */
export function releaseOptions(release: QemuRelease): { readonly legacy?: true; readonly qemuVersion?: string } {
  return release === LEGACY_RELEASE ? { legacy: true } : { qemuVersion: release };
}

/** How messages name a release's language. */
export function describeRelease(release: QemuRelease): string {
  return release === LEGACY_RELEASE ? "QEMU 1.3's 2012 dialect" : `QEMU ${release}'s language`;
}

/** The language of one QEMU release, as the stages consult it. */
export class LanguageLevel {
  private readonly rules: ReadonlySet<LanguageRule>;

  private constructor(readonly release: QemuRelease) {
    const rules = Object.keys(LANGUAGE_RULES) as LanguageRule[];
    this.rules = new Set(rules.filter((rule) => ruleHolds(rule, release)));
  }

  /** Each release's level, made when first asked for (a run reads one
   *  language, and others only when its schema fails). */
  private static readonly levels = new Map<QemuRelease, LanguageLevel>();

  static of(release: QemuRelease): LanguageLevel {
    let level = LanguageLevel.levels.get(release);
    if (level === undefined) {
      if (!(QEMU_RELEASES as readonly string[]).includes(release)) throw new Error(`no language level for QEMU release '${release}'`);
      level = new LanguageLevel(release);
      LanguageLevel.levels.set(release, level);
    }
    return level;
  }

  /** Whether the rule is in force at this level. */
  has(rule: LanguageRule): boolean {
    return this.rules.has(rule);
  }

  /** How messages name the language. */
  describe(): string {
    return describeRelease(this.release);
  }

  /** The command-line arguments that select it. */
  flagArgs(): readonly string[] {
    return releaseFlags(this.release);
  }

  /** The command-line flag that selects it, as one string. */
  flag(): string {
    return this.flagArgs().join(' ');
  }
}

/** Which other releases' languages accept a schema that failed in the
 *  one asked for. */
export interface LanguageHint {
  /** Consecutive releases whose language accepts it, oldest first. */
  readonly accepting: readonly QemuRelease[];
  /** The one to suggest. */
  readonly suggested: QemuRelease;
}

/** The hint as words: the releases, and the flag that selects the
 *  suggested one (`flag` renders it; a verb whose flags differ passes its
 *  own). */
export function describeLanguageHint(
  hint: LanguageHint,
  flag: (release: QemuRelease) => string = (release) => releaseFlags(release).join(' '),
): string {
  const first = hint.accepting[0]!;
  const last = hint.accepting[hint.accepting.length - 1]!;
  const which =
    first === LEGACY_RELEASE
      ? describeRelease(LEGACY_RELEASE)
      : `the language of QEMU ${first === last ? first : `${first} to ${last}`}`;
  return `accepted by ${which}: pass ${flag(hint.suggested)}`;
}

/** The language asked for cannot be selected: an unknown release, or both
 *  the 2012 dialect and a release. */
export class LanguageSelectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LanguageSelectionError';
  }
}

/** A language chosen, and what to tell the user about the choice. */
export interface LanguageChoice {
  readonly level: LanguageLevel;
  /** Set when the release asked for is newer than any qapi-ts knows: the
   *  schema is then read in the newest language, and the user is told. */
  readonly warning: string | null;
}

const KNOWN = `${VERSIONED_RELEASES[0]} to ${DEFAULT_QEMU_RELEASE}`;

/** Reads a release as users write it: `X.Y`, or `X.Y.Z` (stable releases
 *  share the language of their `X.Y`).  A release newer than the newest
 *  known one is read in the newest language, with a warning: QEMU changes
 *  its language a little at a time, and a newer schema is far more likely
 *  to be read right by the newest rules than refused to no one's benefit. */
export function parseQemuVersion(text: string): { readonly release: QemuRelease; readonly warning: string | null } {
  const m = /^(\d+)\.(\d+)(?:\.\d+)?$/.exec(text.trim());
  const version = m ? `${Number(m[1])}.${Number(m[2])}` : '';
  if (VERSIONED_RELEASES.includes(version as QemuRelease)) return { release: version as QemuRelease, warning: null };
  if (m && compareVersions([Number(m[1]), Number(m[2])], DEFAULT_QEMU_RELEASE) > 0) {
    return {
      release: DEFAULT_QEMU_RELEASE,
      warning: `QEMU ${version} is newer than the newest release whose language qapi-ts knows (${DEFAULT_QEMU_RELEASE}): reading the schema in QEMU ${DEFAULT_QEMU_RELEASE}'s language, which may miss what ${version} changed`,
    };
  }
  if (version === LEGACY_RELEASE) {
    throw new LanguageSelectionError(`QEMU ${LEGACY_RELEASE}'s 2012 dialect is selected with --legacy, not as a version`);
  }
  const dialect = `--legacy for QEMU ${LEGACY_RELEASE}'s 2012 dialect`;
  if (m && compareVersions([Number(m[1]), Number(m[2])], VERSIONED_RELEASES[0]!) < 0) {
    throw new LanguageSelectionError(
      `QEMU ${version} is older than any release whose language qapi-ts knows: it knows ${KNOWN} (and ${dialect})`,
    );
  }
  throw new LanguageSelectionError(
    `'${text}' is not a QEMU release whose language qapi-ts knows: give one of ${VERSIONED_RELEASES.join(', ')} or a newer one (or ${dialect})`,
  );
}

function compareVersions([major, minor]: readonly [number, number], release: QemuRelease): number {
  const [rMajor, rMinor] = release.split('.').map(Number) as [number, number];
  return major !== rMajor ? major - rMajor : minor - rMinor;
}

/** The level asked for by the options every schema-reading entry point
 *  takes: `legacy` (QEMU 1.3) or a release; by default the newest. */
export function selectLanguage(options: {
  readonly legacy?: boolean | undefined;
  readonly qemuVersion?: string | undefined;
}): LanguageChoice {
  if (options.legacy === true) {
    if (options.qemuVersion !== undefined) {
      throw new LanguageSelectionError(
        `the 2012 dialect (legacy) and QEMU ${options.qemuVersion}'s language were both asked for; choose one`,
      );
    }
    return { level: LanguageLevel.of(LEGACY_RELEASE), warning: null };
  }
  if (options.qemuVersion === undefined) return { level: LanguageLevel.of(DEFAULT_QEMU_RELEASE), warning: null };
  const { release, warning } = parseQemuVersion(options.qemuVersion);
  return { level: LanguageLevel.of(release), warning };
}
