import type { Store } from 'express-session';
import type { Config } from '../config/config.js';
import { PruningMemoryStore } from './memory-store.js';

export interface SessionStore {
  store: Store;
  /** True when the store can serve requests (readiness). */
  ready(): Promise<boolean>;
  close(): Promise<void>;
}

/** Picks the session store named by SESSION_STORE. */
export function createSessionStore(config: Config): SessionStore {
  switch (config.session.store) {
    case 'memory': {
      const store = new PruningMemoryStore(config.session.maxAgeSeconds * 1000);
      return { store, ready: () => Promise.resolve(true), close: () => Promise.resolve(store.close()) };
    }
  }
}
