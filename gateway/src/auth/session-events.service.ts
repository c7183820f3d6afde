import { Injectable } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';

/** A session or API key that stopped being valid; open SSE streams listen and close at once. */
export interface Revocation {
  kind: 'session' | 'api-key';
  id: string;
}

@Injectable()
export class SessionEvents {
  private readonly revoked$ = new Subject<Revocation>();

  get revocations(): Observable<Revocation> {
    return this.revoked$.asObservable();
  }

  revoked(kind: Revocation['kind'], id: string): void {
    this.revoked$.next({ kind, id });
  }
}
