/**
 * Who a message is addressed to in its headers. Every address comes from
 * the config (a list, or the subscribers section), never from a note: a
 * note names lists only by name.
 */
import type { Config, MailingList, SubscribersConfig } from '../../config/schema.ts';
import type { Advisory } from '../../model/types.ts';

/** One audience: a list from the config, or the direct subscribers. */
export interface Audience {
  /** The list's name in the config (or the subscribers' name). */
  name: string;
  /** The To: address: the list's posting address. */
  address: string;
  /** RFC 2919 identifier, without angle brackets. */
  listId: string;
  description?: string;
  /** https:// URL or mailto: address. */
  unsubscribe?: string;
}

/** `announce@lists.example.org` → `announce.lists.example.org`, as Mailman derives it. */
export function listIdFromAddress(address: string): string {
  return address.toLowerCase().replace('@', '.');
}

function audienceOf(entry: MailingList | SubscribersConfig, name: string): Audience {
  return {
    name,
    address: entry.address,
    listId: entry.list_id ?? listIdFromAddress(entry.address),
    ...(entry.description !== undefined ? { description: entry.description } : {}),
    ...(entry.unsubscribe !== undefined ? { unsubscribe: entry.unsubscribe } : {}),
  };
}

/** The audience of a configured mailing list. */
export function listAudience(list: MailingList): Audience {
  return audienceOf(list, list.name);
}

/** The audience of the direct subscribers (herald delivers as a list server would). */
export function subscribersAudience(subscribers: SubscribersConfig): Audience {
  return audienceOf(subscribers, subscribers.name);
}

/** The audiences of an advisory: its lists in the note's order, then direct subscribers. */
export function audiencesOf(advisory: Advisory, config: Config): Audience[] {
  const byName = new Map(config.mail.lists.map((list) => [list.name, list]));
  // Lint reports a list name the config lacks (`list-unknown`); here it simply reaches no one.
  const audiences = advisory.lists.flatMap((name) => {
    const list = byName.get(name);
    return list ? [listAudience(list)] : [];
  });
  if (config.mail.subscribers) audiences.push(subscribersAudience(config.mail.subscribers));
  return audiences;
}

/** Audiences narrowed to the lists `herald send --list` names (none named: all of them). */
export function narrowedTo(audiences: readonly Audience[], lists: readonly string[]): Audience[] {
  return lists.length === 0 ? [...audiences] : audiences.filter((audience) => lists.includes(audience.name));
}

/** The audience of the build's `mail/<ID>.eml`: the note's first list, else the subscribers. */
export function primaryAudience(advisory: Advisory, config: Config): Audience | undefined {
  return audiencesOf(advisory, config)[0];
}
