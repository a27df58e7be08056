/** The platforms Tandem has adapters for, by the name used in URLs and on the command line. */
import type { PlatformAdapter } from './adapter.ts';
import { amazonConnect } from './amazon-connect/index.ts';
import { genesysCloud } from './genesys-cloud/index.ts';
import { twilioTaskRouter } from './twilio-taskrouter/index.ts';

const ADAPTERS: readonly PlatformAdapter[] = [amazonConnect, genesysCloud, twilioTaskRouter];

export const PLATFORMS: readonly string[] = ADAPTERS.map((a) => a.platform);

export function adapterFor(platform: string): PlatformAdapter | undefined {
  return ADAPTERS.find((a) => a.platform === platform);
}
