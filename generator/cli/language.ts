/**
 * The flags that choose the schema language, shared by every verb that
 * reads a schema: `--qemu-version X.Y` and `--legacy` (QEMU 1.3).  A value
 * qapi-ts does not know, or both flags at once, is a usage error.
 */
import type { Command } from 'commander';
import { DEFAULT_QEMU_RELEASE, LanguageSelectionError, selectLanguage, VERSIONED_RELEASES } from '../source/language.js';
import { CliExit, EXIT } from './io.js';

export interface LanguageFlags {
  legacy?: boolean;
  qemuVersion?: string;
}

const RELEASES = `${VERSIONED_RELEASES[0]} to ${DEFAULT_QEMU_RELEASE}`;

/** Adds `--qemu-version` and `--legacy` to a verb. */
export function addLanguageOptions(command: Command, legacyHelp = "accept the 2012 dialect of QEMU 1.3's schema"): Command {
  return command
    .option('--qemu-version <X.Y>', `read the schema in the language of this QEMU release (${RELEASES}; default ${DEFAULT_QEMU_RELEASE})`)
    .option('--legacy', legacyHelp);
}

/** Checks the flags; a bad choice ends the run as a usage error. */
export function checkLanguageFlags(flags: LanguageFlags): { legacy: boolean; qemuVersion: string | undefined } {
  try {
    selectLanguage(flags);
  } catch (e) {
    if (e instanceof LanguageSelectionError) throw new CliExit(EXIT.usage, `qapi-ts: ${e.message}`);
    throw e;
  }
  return { legacy: flags.legacy ?? false, qemuVersion: flags.qemuVersion };
}
