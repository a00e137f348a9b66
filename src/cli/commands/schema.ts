import type { Command } from 'commander';
import { UsageError } from '../../errors/message.ts';
import type { SchemaName } from '../../model/json-schema.ts';
import type { CliContext } from '../context.ts';

// The names, without loading the schemas (zod) just to define the command; the
// type makes this list fail to compile when it and json-schema.ts disagree.
const schemaNames = Object.keys({ note: true, config: true } satisfies Record<SchemaName, true>);

export function register(program: Command, context: CliContext): void {
  program
    .command('schema')
    .description('Print the JSON Schema of note and blog-post front matter or of herald.config.yaml (for editors)')
    .argument('<name>', `which schema: ${schemaNames.join(' or ')}`)
    .action(async (name: string) => {
      const { jsonSchemas } = await import('../../model/json-schema.ts');
      const make = jsonSchemas[name as SchemaName];
      if (!make) throw new UsageError(`unknown schema "${name}" (use ${schemaNames.join(' or ')})`);
      context.stdout.write(JSON.stringify(make(), null, 2) + '\n');
    });
}
