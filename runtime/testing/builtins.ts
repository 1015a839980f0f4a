/**
 * What the peer answers by itself when no handler is set: the job
 * commands (from the job simulator), query-version (the greeting's
 * version) and query-commands.  query-qmp-schema and qmp_capabilities are
 * the protocol's and always answered by the peer.
 */
import type { JobSimulator } from './jobs.js';

export type BuiltinHandler = (args: Record<string, unknown>) => unknown;

const str = (v: unknown): string => (typeof v === 'string' ? v : String(v));

export function jobCommands(jobs: JobSimulator): Record<string, BuiltinHandler> {
  return {
    'query-jobs': () => jobs.jobInfo(),
    'query-block-jobs': () => jobs.blockJobInfo(),
    'block-job-cancel': (a) => jobs.blockJob(str(a.device)).cancel(a.force === true, 'block-job-cancel'),
    'block-job-complete': (a) => jobs.blockJob(str(a.device)).complete(),
    'block-job-pause': (a) => jobs.blockJob(str(a.device)).pause(),
    'block-job-resume': (a) => jobs.blockJob(str(a.device)).resume(),
    'block-job-set-speed': (a) => jobs.blockJob(str(a.device)).setSpeed(BigInt(a.speed as number | bigint)),
    'block-job-finalize': (a) => jobs.blockJob(str(a.id)).finalize(),
    'block-job-dismiss': (a) => jobs.blockJob(str(a.id)).dismiss(),
    'block-job-change': (a) => jobs.blockJob(str(a.id)).change(),
    'job-cancel': (a) => jobs.job(str(a.id)).cancel(true, 'job-cancel'),
    'job-pause': (a) => jobs.job(str(a.id)).pause(),
    'job-resume': (a) => jobs.job(str(a.id)).resume(),
    'job-complete': (a) => jobs.job(str(a.id)).complete(),
    'job-finalize': (a) => jobs.job(str(a.id)).finalize(),
    'job-dismiss': (a) => jobs.job(str(a.id)).dismiss(),
  };
}
