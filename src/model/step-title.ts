/**
 * A step's title when its author gave none (no heading, no bold lead): the
 * lead sentence of its text, on one line, cut short at a word when long;
 * and how renderers tell that a title restates the start of its text, so
 * they show the words once.
 */

/** Longest title made from a sentence; a longer one is cut at a word and ends with `...`. */
const maxTitle = 100;
const cut = '...';

export function firstSentence(text: string): string {
  const sentence = /^(.+?[.!?:])(\s|$)/s.exec(text)?.[1] ?? text;
  const line = sentence.replace(/\s+/g, ' ').trim();
  if (line.length <= maxTitle) return line;
  const room = line.slice(0, maxTitle - cut.length + 1);
  const space = room.lastIndexOf(' ');
  // One very long word (a URL) is cut where it must be.
  const kept = space > maxTitle / 2 ? room.slice(0, space) : room.slice(0, -1);
  return `${kept.trimEnd().replace(/[,;:]$/, '')}${cut}`;
}

/**
 * How `title` restates the start of `text`, white space being equal to white
 * space: `whole` with the length in `text` of the words restated, `start`
 * when the title is that start cut short (`...`), undefined when it says
 * something else (a heading, or a bold lead that the text goes on from).
 */
export function titleLead(title: string, text: string): { restated: 'whole'; length: number } | { restated: 'start' } | undefined {
  const whole = restatedLength(title, text);
  if (whole !== undefined) return { restated: 'whole', length: whole };
  if (title.endsWith(cut) && restatedLength(title.slice(0, -cut.length).trimEnd(), text) !== undefined) return { restated: 'start' };
  return undefined;
}

function restatedLength(title: string, text: string): number | undefined {
  const space = /\s/;
  let t = 0;
  let i = 0;
  while (t < title.length) {
    if (i >= text.length) return undefined;
    if (space.test(title[t]!)) {
      if (!space.test(text[i]!)) return undefined;
      while (t < title.length && space.test(title[t]!)) t++;
      while (i < text.length && space.test(text[i]!)) i++;
      continue;
    }
    if (title[t] !== text[i]) return undefined;
    t++;
    i++;
  }
  return title.length > 0 ? i : undefined;
}
