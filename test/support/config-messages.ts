/** The messages a config text is refused with. */
import { parseConfig } from '../../src/config/load.ts';
import { HeraldError, type HeraldMessage } from '../../src/errors/message.ts';

/** The located messages `parseConfig` refuses `text` with (as `herald.config.yaml`); throws when it is accepted, or fails otherwise. */
export function configMessages(text: string): HeraldMessage[] {
  try {
    parseConfig(text, 'herald.config.yaml');
  } catch (caught) {
    if (caught instanceof HeraldError) return caught.messages;
    throw caught;
  }
  throw new Error('the config was accepted');
}
