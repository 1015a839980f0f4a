/**
 * The three-layer qcow2 chain the end-to-end tests commit: base <- mid <- top,
 * each layer with its own byte pattern at its own offsets, plus one region
 * that all three write so that precedence (top over mid over base) shows.
 *
 * Layout (KiB offsets; the image is `sizeMiB` large):
 *
 *   base  0xb0 @ [0, 1024)               0xb1 @ [4096, 5120)
 *   mid   0x3d @ [1024, 2048)            0x3e @ [4096, 5120)   (+ optional bulk 0x5c from 8 MiB)
 *   top   0x70 @ [2048, 3072)            0x7f @ [4608, 5120)
 *
 * so the guest sees (through top): 0xb0, 0x3d, 0x70, zeros @ [3072, 4096),
 * 0x3e @ [4096, 4608), 0x7f @ [4608, 5120).
 */
import { join } from 'node:path';
import { createImage, qemuIo, SYSTEM_QEMU, type QemuInstall } from '../../helpers/qemu.js';

const KiB = 1024;
const MiB = 1024 * KiB;

/** A region expected to hold one byte value (0 for unallocated/zero). */
export interface Region {
  readonly what: string;
  readonly pattern: number;
  readonly offset: number;
  readonly length: number;
}

const region = (what: string, pattern: number, offsetKiB: number, lengthKiB: number): Region => ({
  what,
  pattern,
  offset: offsetKiB * KiB,
  length: lengthKiB * KiB,
});

export const BASE_OWN = region('base 0xb0', 0xb0, 0, 1024);
export const BASE_OVERLAP = region('base 0xb1 (overlap)', 0xb1, 4096, 1024);
export const MID_OWN = region('mid 0x3d', 0x3d, 1024, 1024);
export const MID_OVERLAP = region('mid 0x3e (overlap)', 0x3e, 4096, 1024);
export const TOP_OWN = region('top 0x70', 0x70, 2048, 1024);
export const TOP_OVERLAP = region('top 0x7f (overlap, second half)', 0x7f, 4608, 512);

/** Where mid's optional bulk data starts (pattern 0x5c), to make jobs long. */
export const BULK_OFFSET = 8 * MiB;
export const BULK_PATTERN = 0x5c;

/** What every image of the chain reads as through top, before and after any commit. */
export const GUEST_VIEW: readonly Region[] = [
  BASE_OWN,
  MID_OWN,
  TOP_OWN,
  region('never written', 0, 3072, 1024),
  region('mid 0x3e where top did not write', 0x3e, 4096, 512),
  TOP_OVERLAP,
];

/** base on its own, before any commit. */
export const BASE_BEFORE: readonly Region[] = [
  BASE_OWN,
  region('no mid data yet', 0, 1024, 1024),
  region('no top data', 0, 2048, 1024),
  BASE_OVERLAP,
];

/** base once mid (only) was committed into it: mid's data now wins over base's, top's is not there. */
export const BASE_AFTER_MID_COMMIT: readonly Region[] = [
  BASE_OWN,
  MID_OWN,
  region('no top data', 0, 2048, 1024),
  MID_OVERLAP,
];

/** base once everything above it (mid and top) was committed: exactly what the guest saw. */
export const BASE_AFTER_FULL_COMMIT: readonly Region[] = GUEST_VIEW;

export interface Chain {
  readonly base: string;
  readonly mid: string;
  readonly top: string;
  /** Bytes of bulk data in mid (0 when none). */
  readonly bulk: number;
}

export interface ChainOptions {
  /** Extra data written into mid at BULK_OFFSET, so a speed-limited job runs long. */
  bulkMiB?: number;
  /** Whose qemu-img and qemu-io make the images (default: the system's). */
  qemu?: QemuInstall;
}

function write(image: string, r: Region, qemu: QemuInstall): void {
  const result = qemuIo(image, [`write -P ${r.pattern} ${r.offset} ${r.length}`], { qemu });
  if (!result.ok) throw new Error(`writing ${r.what} into ${image} failed: ${result.stdout}${result.stderr}`);
}

/** Creates base.qcow2 <- mid.qcow2 <- top.qcow2 in `dir` (absolute backing names) and fills them. */
export function buildChain(dir: string, options: ChainOptions = {}): Chain {
  const bulkMiB = options.bulkMiB ?? 0;
  const qemu = options.qemu ?? SYSTEM_QEMU;
  const sizeMiB = Math.max(16, BULK_OFFSET / MiB + bulkMiB);
  const chain = { base: join(dir, 'base.qcow2'), mid: join(dir, 'mid.qcow2'), top: join(dir, 'top.qcow2'), bulk: bulkMiB * MiB };
  createImage(chain.base, `${sizeMiB}M`, { qemu });
  createImage(chain.mid, undefined, { backing: chain.base, qemu });
  createImage(chain.top, undefined, { backing: chain.mid, qemu });
  write(chain.base, BASE_OWN, qemu);
  write(chain.base, BASE_OVERLAP, qemu);
  write(chain.mid, MID_OWN, qemu);
  write(chain.mid, MID_OVERLAP, qemu);
  if (bulkMiB > 0) write(chain.mid, region('mid bulk', BULK_PATTERN, BULK_OFFSET / KiB, bulkMiB * 1024), qemu);
  write(chain.top, TOP_OWN, qemu);
  write(chain.top, TOP_OVERLAP, qemu);
  return chain;
}

/**
 * Reads every region of `image` (with its backing chain) and returns one
 * line per region that does not hold its pattern; empty when all match.
 * Each region is read by its own qemu-io run so that a failure names it.
 */
export function mismatches(image: string, regions: readonly Region[], qemu = SYSTEM_QEMU): string[] {
  const failures: string[] = [];
  for (const r of regions) {
    const result = qemuIo(image, [`read -P ${r.pattern} ${r.offset} ${r.length}`], { qemu });
    if (!result.ok) failures.push(`${r.what}: ${(result.stdout + result.stderr).trim().split('\n')[0]}`);
  }
  return failures;
}

/** The bulk data of mid as regions: its first and last `slice` bytes, with a given expected pattern. */
export function bulkEnds(chain: Chain, pattern: number, slice = 512 * KiB): Region[] {
  const last = BULK_OFFSET + chain.bulk - slice;
  return [
    { what: `bulk start as 0x${pattern.toString(16)}`, pattern, offset: BULK_OFFSET, length: slice },
    { what: `bulk end as 0x${pattern.toString(16)}`, pattern, offset: last, length: slice },
  ];
}
