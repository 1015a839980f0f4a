/**
 * What an editor shows on hovering the result of a job helper called with
 * a client of the generated bindings: the completion as the bindings type
 * it (the event and its data type, the job with bigint figures), not a
 * helper type applied to the client's type.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HoverService } from '../helpers/hover.js';
import { PROJECT_ROOT } from '../helpers/shared.js';

const fixture = join(PROJECT_ROOT, 'test', 'fixtures', 'types', 'job-hover.ts');

describe('hovering a job helper’s result', () => {
  const hovers = new HoverService([fixture]);

  it.each([
    ['runBlockJob', 'committed', 'const committed: QmpEvent<"BLOCK_JOB_COMPLETED", BlockJobCompletedData>'],
    ['runJob', 'created', 'const created: JobInfo<bigint>'],
  ])('%s: shows the bindings’ types', (_, name, signature) => {
    expect(hovers.at(fixture, `export const ${name}`, 'export const '.length).signature).toBe(signature);
  });
});
