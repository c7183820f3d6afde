import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatInputHarness } from '@angular/material/input/testing';
import { Router } from '@angular/router';
import { AuthApi } from '../../core/api/auth.api';
import { ApiError } from '../../core/api/api-error';
import { FakeTime } from '../../core/util/testing';
import { pageTestProviders } from '../../core/util/testing-providers';
import { LoginPage } from './login.page';

const TOKENS = { accessToken: 'a.b.c', refreshToken: 'r', accessTokenExpiresAt: '2026-06-01T12:15:00Z' };

describe('LoginPage', () => {
  async function setup(api: Partial<Record<keyof AuthApi, jest.Mock>>) {
    sessionStorage.clear();
    TestBed.configureTestingModule({
      imports: [LoginPage],
      providers: [...pageTestProviders(new FakeTime(Date.parse('2026-06-01T12:00:00Z'))), { provide: AuthApi, useValue: api }],
    });
    const navigate = jest.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    const fixture = TestBed.createComponent(LoginPage);
    await fixture.whenStable();
    await fixture.whenStable();
    return { fixture, navigate, loader: TestbedHarnessEnvironment.loader(fixture), el: fixture.nativeElement as HTMLElement };
  }

  const input = (loader: ReturnType<typeof TestbedHarnessEnvironment.loader>, label: string) =>
    loader.getHarness(MatInputHarness.with({ selector: `input[formcontrolname="${label}"]` }));

  it('offers first-run setup when no admin exists and creates the admin', async () => {
    const setupCall = jest.fn(async () => TOKENS);
    const { loader, el, navigate } = await setup({ setupNeeded: jest.fn(async () => true), setup: setupCall });
    expect(el.textContent).toContain('Create the admin account');
    await (await input(loader, 'displayName')).setValue('Ada');
    await (await input(loader, 'email')).setValue('ada@example.com');
    await (await input(loader, 'password')).setValue('short');
    await (await loader.getHarness(MatButtonHarness.with({ text: /Create account/ }))).click();
    expect(setupCall).not.toHaveBeenCalled();
    expect(el.textContent).toContain('Use at least 12 characters');
    await (await input(loader, 'password')).setValue('a-long-enough-password');
    await (await loader.getHarness(MatButtonHarness.with({ text: /Create account/ }))).click();
    expect(setupCall).toHaveBeenCalledWith({ email: 'ada@example.com', password: 'a-long-enough-password', displayName: 'Ada', workspaceName: 'My workspace' });
    expect(navigate).toHaveBeenCalledWith('/home');
  });

  it('shows the API message when sign-in fails', async () => {
    const login = jest.fn(async () => {
      throw new ApiError(401, 'invalid_credentials', 'Email or password is wrong');
    });
    const { loader, el, fixture, navigate } = await setup({ setupNeeded: jest.fn(async () => false), login });
    await (await input(loader, 'email')).setValue('ada@example.com');
    await (await input(loader, 'password')).setValue('whatever');
    await (await loader.getHarness(MatButtonHarness.with({ text: 'Sign in' }))).click();
    await fixture.whenStable();
    expect(login).toHaveBeenCalledWith('ada@example.com', 'whatever');
    expect(el.querySelector('[role="alert"]')?.textContent).toContain('Email or password is wrong');
    expect(navigate).not.toHaveBeenCalled();
  });
});
