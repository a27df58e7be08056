/** The platforms Tandem has adapters for, by the name used in URLs and on the command line. */
import type { PlatformAdapter } from './adapter.ts';
import { amazonConnect } from './amazon-connect/index.ts';
import { asteriskAmi, asteriskQueueLog } from './asterisk/index.ts';
import { genesysCloud } from './genesys-cloud/index.ts';
import { twilioTaskRouter } from './twilio-taskrouter/index.ts';
import { parseVendorRecords, type ParsedRecord } from './vendor-json.ts';

const ADAPTERS: readonly PlatformAdapter[] = [
  amazonConnect,
  genesysCloud,
  twilioTaskRouter,
  asteriskQueueLog,
  asteriskAmi,
];

export const PLATFORMS: readonly string[] = ADAPTERS.map((a) => a.platform);

export function adapterFor(platform: string): PlatformAdapter | undefined {
  return ADAPTERS.find((a) => a.platform === platform);
}

/** A body or file of the platform's records, read the way that platform writes them. */
export function readRecords(adapter: PlatformAdapter, text: string): ParsedRecord[] {
  return adapter.read ? adapter.read(text) : parseVendorRecords(text);
}
