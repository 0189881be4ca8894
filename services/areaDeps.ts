import type { Clock } from './clock';
import type { Config } from './config';
import type { Logger } from './log';
import type { Database } from './store/types';
import type { TicketService } from './tickets/ticketService';

/** What every area of the domain is built from; index.ts hands it to each area's wiring function. */
export interface AreaDeps {
  config: Config;
  db: Database;
  clock: Clock;
  logger: Logger;
  tickets: TicketService;
}
