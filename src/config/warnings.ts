import type { Config } from './config.js';

export interface ConfigWarning {
  setting: string;
  message: string;
}

/**
 * Settings that are accepted but weaken a defence. Each is logged once at start-up, loudly, with the risk and the
 * fix, because nothing else would show it until it is exploited.
 */
export function configWarnings(config: Config): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  if (config.trustProxy === true) {
    warnings.push({
      setting: 'TRUST_PROXY',
      message:
        'TRUST_PROXY=true trusts every X-Forwarded-For entry: any client can choose its own address and escape the ' +
        'per-IP sign-in limit. Set TRUST_PROXY to the hop count to your proxy (usually 1) or its addresses.',
    });
  }
  return warnings;
}
