import { readFileSync } from 'node:fs';

/**
 * The part of a Markdown document under `heading`, up to the next heading of any level (a `#` line
 * inside a code block, such as a shell comment, is not a heading).
 */
export function markdownSection(markdown: string, heading: string): string {
  const lines = markdown.split('\n');
  const start = lines.indexOf(heading);
  if (start === -1) throw new Error(`no heading ${JSON.stringify(heading)}`);
  let inCode = false;
  let end = lines.length;
  for (let index = start + 1; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.startsWith('```')) inCode = !inCode;
    else if (!inCode && /^#{1,6} /.test(line)) {
      end = index;
      break;
    }
  }
  return lines.slice(start + 1, end).join('\n');
}

/** The fenced code blocks of `markdown` whose info string is `language`, as printed. */
export function codeBlocks(markdown: string, language: string): string[] {
  const fence = new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\`$`, 'gm');
  return [...markdown.matchAll(fence)].map((match) => match[1] ?? '');
}

/** The one `language` code block of the README section under `heading`. */
export function readmeCodeBlock(readmePath: string, heading: string, language: string): string {
  const blocks = codeBlocks(markdownSection(readFileSync(readmePath, 'utf8'), heading), language);
  if (blocks.length !== 1) {
    throw new Error(`expected one ${language} block under ${heading}, found ${blocks.length}`);
  }
  return blocks[0]!;
}
