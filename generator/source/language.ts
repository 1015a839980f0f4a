/**
 * The QAPI language by QEMU release.
 *
 * QEMU's schema language changed between releases, mostly in doc comments.
 * Each change is one rule below, stating the release that introduced it
 * (and, for the one regression QEMU fixed a release later, the release that
 * dropped it).  The front end is one implementation; its stages ask the
 * selected LanguageLevel whether a rule is in force, the way a compiler
 * consults its target.  A release between two listed ones speaks the
 * language of the older one: a rule applies from its release onwards.
 */

/** The QEMU releases whose language can be selected.  1.3 is the 2012
 *  dialect (`--legacy`); from 7.2 on, every release up to the newest. */
export const QEMU_VERSIONS = ['1.3', '7.2', '8.0', '8.1', '8.2', '9.0', '9.1', '9.2', '10.0', '10.1', '10.2'] as const;
export type QemuVersion = (typeof QEMU_VERSIONS)[number];

/** The language used unless another is asked for: the newest. */
export const DEFAULT_QEMU_VERSION: QemuVersion = '10.2';

interface Rule {
  /** The first release with the rule. */
  readonly since: QemuVersion;
  /** The first release without it again, if QEMU dropped it. */
  readonly until?: QemuVersion;
  /** What the rule says, for the documentation. */
  readonly what: string;
}

/** Every rule that differs between releases, oldest first. */
export const LANGUAGE_RULES = {
  modernDialect: {
    since: '7.2',
    what: "the language of QEMU 7.2 as a whole; before it, the 2012 dialect ('type' for 'struct', simple unions, anonymous structs, '#optional', 'Since X', the syntax slips of QEMU 1.3's schema)",
  },
  looseDocIndentation: {
    since: '8.1',
    what: "doc sections take their indentation from their first continuation line; '@name:' and section tags are recognized by pattern",
  },
  boxedConditionalArguments: { since: '8.1', what: "conditional command and event arguments need 'boxed': true" },
  unionBranchesMayBeUnions: {
    since: '8.1',
    what: "a union's branch may be a union; clash checks reach into its branches",
  },
  paragraphDocComments: {
    since: '9.0',
    what: "the rewritten doc-comment parser: 'Errors:' sections, tags only at the start of a paragraph, descriptions indented, every member documented (pragma 'documentation-exceptions'), errors at the section's own line, empty or repeated sections and 'Features:' lines rejected, 'Returns:' only where something is returned",
  },
  commentAfterDocIsDoc: {
    since: '9.0',
    until: '9.1',
    what: 'a plain comment right after a doc comment is read as the start of another doc comment (a 9.0 regression)',
  },
  rstDirectives: {
    since: '9.1',
    what: "'Note:' and 'Example:' sections give way to rST directives ('.. note::', '.. qmp-example::'); a tag followed by '::' is rST",
  },
  docKeepsIndentation: { since: '9.1', what: 'doc text keeps its indentation' },
  qtypeWithoutPrefix: { since: '9.2', what: "the built-in enum QType has no 'prefix'" },
  dumpSectionKinds: { since: '10.0', what: "the test dump prints doc sections by kind ('Plain', 'Returns', ...)" },
  featureLimit: { since: '10.0', what: 'at most 64 distinct features in a schema' },
  headingsAnywhere: { since: '10.1', what: "'=' lines are allowed anywhere in doc comments" },
  docLineFormat: {
    since: '10.2',
    what: 'doc lines are at most 70 columns, with two spaces between sentences (except in literal blocks)',
  },
} as const satisfies Record<string, Rule>;

export type LanguageRule = keyof typeof LANGUAGE_RULES;

/** The rank of a version, for comparisons. */
function rank(version: QemuVersion): number {
  return QEMU_VERSIONS.indexOf(version);
}

/** The language of one QEMU release, as the stages consult it. */
export class LanguageLevel {
  private readonly rules: ReadonlySet<LanguageRule>;

  private constructor(readonly version: QemuVersion) {
    const active = new Set<LanguageRule>();
    for (const [name, rule] of Object.entries(LANGUAGE_RULES) as [LanguageRule, Rule][]) {
      const after = rank(version) >= rank(rule.since);
      const before = rule.until === undefined || rank(version) < rank(rule.until);
      if (after && before) active.add(name);
    }
    this.rules = active;
  }

  private static readonly levels = new Map<QemuVersion, LanguageLevel>(
    QEMU_VERSIONS.map((v) => [v, new LanguageLevel(v)]),
  );

  static of(version: QemuVersion): LanguageLevel {
    return LanguageLevel.levels.get(version)!;
  }

  /** Every level, newest first. */
  static all(): LanguageLevel[] {
    return [...QEMU_VERSIONS].reverse().map((v) => LanguageLevel.of(v));
  }

  /** Whether the rule is in force at this level. */
  has(rule: LanguageRule): boolean {
    return this.rules.has(rule);
  }

  /** QEMU 1.3's 2012 dialect. */
  get legacy(): boolean {
    return !this.has('modernDialect');
  }

  /** How messages name the language. */
  describe(): string {
    return this.legacy ? "QEMU 1.3's 2012 dialect" : `QEMU ${this.version}'s language`;
  }

  /** The command-line flag that selects it. */
  flag(): string {
    return this.legacy ? '--legacy' : `--qemu-version ${this.version}`;
  }
}

/** The language asked for cannot be selected: an unknown release, or both
 *  the 2012 dialect and a release. */
export class LanguageSelectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LanguageSelectionError';
  }
}

const KNOWN = QEMU_VERSIONS.filter((v) => v !== '1.3').join(', ');

/** Reads a release as users write it: `X.Y`, or `X.Y.Z` (stable releases
 *  share the language of their `X.Y`). */
export function parseQemuVersion(text: string): QemuVersion {
  const m = /^(\d+)\.(\d+)(?:\.\d+)?$/.exec(text.trim());
  const version = m ? `${Number(m[1])}.${Number(m[2])}` : '';
  if (version === '1.3' || !(QEMU_VERSIONS as readonly string[]).includes(version)) {
    throw new LanguageSelectionError(
      `'${text}' is not a QEMU release whose language qapi-ts knows: give one of ${KNOWN} (or --legacy for QEMU 1.3's 2012 dialect)`,
    );
  }
  return version as QemuVersion;
}

/** The level asked for by the options every schema-reading entry point
 *  takes: `legacy` (QEMU 1.3) or a release; by default the newest. */
export function selectLanguage(options: {
  readonly legacy?: boolean | undefined;
  readonly qemuVersion?: string | undefined;
}): LanguageLevel {
  if (options.legacy === true) {
    if (options.qemuVersion !== undefined) {
      throw new LanguageSelectionError(
        `the 2012 dialect (legacy) and QEMU ${options.qemuVersion}'s language were both asked for; choose one`,
      );
    }
    return LanguageLevel.of('1.3');
  }
  return LanguageLevel.of(options.qemuVersion === undefined ? DEFAULT_QEMU_VERSION : parseQemuVersion(options.qemuVersion));
}
