import type { Command } from 'commander';
import type { CliContext } from '../context.ts';

/** Placeholder until this command's module lands. */
export function register(_program: Command, _context: CliContext): void {}
