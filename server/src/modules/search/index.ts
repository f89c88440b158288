import type { AppDeps, AppModule } from '../../core/deps';
import type { MerchantsService } from '../merchants';
import type { NewsroomService } from '../newsroom';
import type { VolunteersService } from '../volunteers';
import { createSearchRouter } from './search.routes';
import { createSearchService as createService, type SearchService } from './search.service';

export { type SearchService } from './search.service';

export interface SearchPorts {
  newsroom: NewsroomService;
  merchants: MerchantsService;
  volunteers: VolunteersService;
}

export function createSearchService(_deps: AppDeps, ports: SearchPorts): SearchService {
  return createService(ports);
}

/** The home page's search box: news, merchants and activities, each through its own module's service. */
export function createSearchModule(_deps: AppDeps, { search }: { search: SearchService }): AppModule {
  return { router: createSearchRouter(search) };
}
