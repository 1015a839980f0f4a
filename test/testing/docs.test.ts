/**
 * docs/testing.md's vitest example is test/testing/docs-example.test.ts,
 * which the suite runs: the page shows it as it is (its bindings
 * `./generated/`, as beside a consumer's tests), so the page cannot drift
 * from what runs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/shared.js';

describe('docs/testing.md', () => {
  it('shows the example the suite runs', () => {
    const page = readFileSync(join(PROJECT_ROOT, 'docs', 'testing.md'), 'utf8');
    const shown = /```ts\n([\s\S]*?)```/.exec(page)?.[1];
    const run = readFileSync(join(PROJECT_ROOT, 'test', 'testing', 'docs-example.test.ts'), 'utf8');
    expect(shown).toBe(run.replace("'../../generated/index.js'", "'./generated/index.js'"));
  });

  it('is linked from the README’s documentation table', () => {
    const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
    expect(readme).toMatch(/^\| \[Testing your code without QEMU\]\(docs\/testing\.md\) \| .+ \|$/m);
  });
});
