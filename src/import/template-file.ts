/**
 * The OSSN template (`template.txt` beside the notes): the form a new note
 * starts from, whose title is the placeholder "Title (single sentence)".
 * It is not a note, whether a folder holds it (its name is not a note's)
 * or a shell's `DIR/*` names it among the notes.
 */
const placeholderTitle = /^\s*title \(single sentence\)\s*$/i;

/** Whether `text` is the OSSN template: its first line that is not blank is the placeholder title. */
export function isOssnTemplate(text: string): boolean {
  const first = text.split('\n').find((line) => line.trim() !== '');
  return first !== undefined && placeholderTitle.test(first);
}
