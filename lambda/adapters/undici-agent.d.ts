/**
 * Types of undici's Agent module, imported on its own by `http-sender.ts` so that the bundle holds the
 * connection pool and not the whole package (fetch, WebSocket, caches). It is the class the package
 * exports as `Agent`.
 */
declare module 'undici/lib/dispatcher/agent.js' {
  import type { Agent } from 'undici';

  const UndiciAgent: typeof Agent;
  export = UndiciAgent;
}
