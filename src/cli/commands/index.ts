/**
 * The one list of CLI commands. Each module adds its command(s) to the program.
 */
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import * as build from './build.ts';
import * as lint from './lint.ts';
import * as list from './list.ts';
import * as schema from './schema.ts';
import * as serve from './serve.ts';
import * as check from './check.ts';
import * as exportCommand from './export.ts';
import * as send from './send.ts';
import * as wiki from './wiki.ts';
import * as importCommand from './import.ts';
import * as github from './github.ts';
import * as newCommand from './new.ts';
import * as revise from './revise.ts';
import * as withdraw from './withdraw.ts';

export interface CommandModule {
  register(program: Command, context: CliContext): void;
}

export const commandModules: CommandModule[] = [build, lint, list, newCommand, revise, withdraw, serve, check, exportCommand, send, wiki, importCommand, github, schema];
