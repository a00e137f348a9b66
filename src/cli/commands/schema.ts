import type { Command } from 'commander';
import { UsageError } from '../../errors/message.ts';
import { jsonSchemas, type SchemaName } from '../../model/json-schema.ts';
import type { CliContext } from '../context.ts';

export function register(program: Command, context: CliContext): void {
  program
    .command('schema')
    .description('Print the JSON Schema of note front matter or of herald.config.yaml (for editors)')
    .argument('<name>', `which schema: ${Object.keys(jsonSchemas).join(' or ')}`)
    .action((name: string) => {
      const make = jsonSchemas[name as SchemaName];
      if (!make) throw new UsageError(`unknown schema "${name}" (use ${Object.keys(jsonSchemas).join(' or ')})`);
      context.stdout.write(JSON.stringify(make(), null, 2) + '\n');
    });
}
