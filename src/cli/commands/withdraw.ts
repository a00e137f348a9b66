/**
 * `herald withdraw`: a published note marked withdrawn (`status`,
 * `withdrawn_reason`) with its next revision, so the withdrawal is announced
 * as a reply to the original announcement once the change is merged.
 */
import type { Command } from 'commander';
import { println, type CliContext } from '../context.ts';
import { editNote } from './revise.ts';

interface WithdrawOptions {
  notes: string;
  date?: string;
  json?: boolean;
}

export function register(program: Command, context: CliContext): void {
  program
    .command('withdraw')
    .description('Withdraw a published note: status withdrawn, the reason, and the next update ("UPDATE n: Withdrawn: <reason>") dated today')
    .argument('<note>', 'the advisory id (reads <notes>/<ID>.md) or the note\'s path')
    .argument('<reason...>', 'why it is withdrawn and what readers should do instead (quote it, or give it as several words)')
    .option('--notes <dir>', 'notes folder', 'notes')
    .option('--date <YYYY-MM-DD>', 'date of the withdrawal (default: today, UTC)')
    .option('--json', 'print the note\'s path, the update\'s number and date, and the reason as JSON')
    .action(async (target: string, words: string[], options: WithdrawOptions) => {
      const { withdrawNote } = await import('../../workflow/revise-note.ts');
      const { shown, date, edited: withdrawn } = await editNote(context, target, options, (text, file, day) => withdrawNote(text, file, { date: day, reason: words.join(' ') }, context.now()));
      if (options.json) {
        println(context.stdout, JSON.stringify({ path: shown, update: withdrawn.number, date, reason: withdrawn.reason }, null, 2));
        return;
      }
      println(context.stdout, `withdrew ${shown}: UPDATE ${withdrawn.number} (${date}), status withdrawn`);
      println(context.stderr, 'herald: now say in its Summary that it is withdrawn, and why (keep the rest for the record); once merged, herald publish announces the withdrawal as a reply to the original announcement.');
    });
}
