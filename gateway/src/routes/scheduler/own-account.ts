import { PublisherAccountsList } from '@sx/contracts';
import { AppError } from '@sx/service-kit';
import type { Principal } from '../../auth/principal';
import type { CommandProxy } from '../../proxy/command-proxy.service';

/**
 * Slot settings live in the scheduler per (workspace, account id), but accounts belong to the publisher,
 * so the scheduler would take any id. An account the caller's workspace does not have, its own or
 * another workspace's, answers 404 exactly like a random id.
 */
export async function assertOwnAccount(proxy: CommandProxy, p: Principal, accountId: string): Promise<void> {
  const { items } = await proxy.call(PublisherAccountsList, p, {});
  if (!items.some((a) => a.id === accountId)) throw AppError.notFound('account', accountId);
}
