import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { Provider, EnvironmentProviders } from '@angular/core';
import { provideRouter } from '@angular/router';
import { FakeTime, provideFakeTime } from './testing';

/** The providers every page test needs: no real HTTP, no real time. */
export function pageTestProviders(time: FakeTime): (Provider | EnvironmentProviders)[] {
  return [provideHttpClient(), provideHttpClientTesting(), provideRouter([]), ...provideFakeTime(time)];
}
