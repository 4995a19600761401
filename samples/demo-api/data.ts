// Seed data of the demo API: a few agents, contacts and BYOC channels, fresh for every server.

/** An agent record of the demo REST API. */
export interface Agent {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  skill: string;
  accountId: string;
}

/** A contact record of the demo REST API. */
export interface Contact {
  id: string;
  name: string;
  phone: string;
  email: string;
}

/** A BYOC-style channel (a point of contact of the contact center). */
export interface Channel {
  id: string;
  name: string;
  kind: 'sms' | 'chat';
  /** The external platform's icon, required when a BYOC middleware creates a channel. */
  externalPlatformIcon?: string;
}

/** A message the external messaging platform accepted for delivery (BYOC outbound). */
export interface PlatformMessage {
  id: string;
  channelId: string;
  to: string;
  text: string;
  /** The platform account (Basic user) that sent it: tells BYOC tenants apart. */
  account: string;
}

/** A message sent through a channel, in either direction. */
export interface Message {
  id: string;
  channelId: string;
  direction: 'inbound' | 'outbound';
  recipient: string;
  text: string;
  at: string;
}

/** Mutable collections of one server instance. */
export interface DemoData {
  agents: Agent[];
  contacts: Contact[];
  channels: Channel[];
  messages: Message[];
  /** Messages delivered to the external platform (BYOC outbound). */
  platformMessages: PlatformMessage[];
}

/** A fresh copy of the seed data. */
export function seedData(): DemoData {
  return {
    agents: [
      { id: '1001', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.test', skill: 'Billing', accountId: 'A-100' },
      { id: '1002', firstName: 'Alan', lastName: 'Turing', email: 'alan@example.test', skill: 'Support', accountId: 'A-200' },
      { id: '1003', firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.test', skill: 'Sales', accountId: 'A-300' },
    ],
    contacts: [
      { id: 'c-1', name: 'Katherine Johnson', phone: '+15550100001', email: 'katherine@example.test' },
      { id: 'c-2', name: 'Edsger Dijkstra', phone: '+15550100002', email: 'edsger@example.test' },
    ],
    channels: [
      { id: 'sms-main', name: 'Main SMS line', kind: 'sms' },
      { id: 'web-chat', name: 'Web chat', kind: 'chat' },
    ],
    messages: [],
    platformMessages: [],
  };
}

/** A recipient the BYOC validation endpoint accepts: an E.164-like number or an e-mail address. */
export function isValidRecipient(recipient: unknown): boolean {
  if (typeof recipient !== 'string') return false;
  return /^\+?[0-9]{8,15}$/.test(recipient) || /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(recipient);
}
