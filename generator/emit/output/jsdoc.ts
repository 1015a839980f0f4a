/**
 * Doc comments: a DocNode as the lines of a `/** ... *\/` comment.  One
 * line of text gives `/** text *\/`; more give a block, one ` * ` line
 * each, tags after the description.  Lines end without spaces, which is
 * how prettier prints such a comment, so it leaves them as they are.
 * Control characters are written as `U+XXXX` (comment-text.ts).
 */
import type { DocNode } from '../syntax/statements.js';
import { commentText } from './comment-text.js';
import { hardline, join, type Doc } from './doc.js';

/** The text of a comment: the description, then one line per tag. */
function docText(doc: DocNode): string {
  const tags = (doc.tags ?? []).map((t) => {
    const text = t.text ?? '';
    return `@${t.tagName}${text !== '' && !text.startsWith('\n') ? ' ' : ''}${text}`;
  });
  if (tags.length === 0) return doc.description;
  return doc.description === '' ? tags.join('\n') : `${doc.description}\n${tags.join('\n')}`;
}

function commentDoc(doc: DocNode): Doc {
  const lines = commentText(docText(doc)).split('\n');
  if (lines[0] === '' && lines.length > 1) lines.shift();
  if (lines.length === 1) return `/** ${(lines[0] as string).trimEnd()} */`;
  const body = lines.map((l) => {
    const text = l.trimEnd();
    return text === '' ? ' *' : ` * ${text}`;
  });
  return ['/**', hardline, join(hardline, body), hardline, ' */'];
}

/** The comments of a declaration ('' when it has none), each on its own lines. */
export function docComment(docs: readonly DocNode[]): Doc {
  return docs.length === 0 ? '' : join(hardline, docs.map(commentDoc));
}
