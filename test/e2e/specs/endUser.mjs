// e2e expectations for the End User resource (test/e2e/workflows/enduser-*.json), Super and
// Enterprise keys: Create → Set Credit Limit → a design job for that end user over the limit →
// Delete, against the simulator's super/* endpoints. Create's output holds no token unless asked,
// and no token issued appears anywhere in the execution. The bad-input workflow runs in the
// shared 'bad-input' batch, which asserts that nothing reached the simulator.
import { apiRoute as route, route as anyRoute, errText, oneItemOf } from '../lib/specHelpers.mjs';

const END_USER = 'e2e-enduser-1';

export const batches = [{ name: 'enduser' }];

export const specs = {
	siviE2eEndUsr01: {
		batch: 'enduser',
		// The design over the limit is refused, so Sivi holds no job for it.
		jobs: {},
		assert(x) {
			x.succeeded();
			const one = oneItemOf(x);
			const [user] = x.sim.endUsers().filter((u) => u.abstractUserId === END_USER);
			const created = one('Create End User');
			x.check(JSON.stringify(Object.keys(created).sort()) === '["abstractUserId","workspaceId"]' && created.abstractUserId === END_USER && created.workspaceId === user?.workspaceId, 'Create: { abstractUserId, workspaceId } of the new end user, no tokens', created);
			x.check(user?.brands?.[0]?.brandName === 'e2e end user cafe' && user?.brands?.[0]?.brandUrl === 'https://e2e-enduser.example.com', 'Create: the brand went to the end user', user?.brands);
			const tokens = (user?.tokens ?? []).flatMap((t) => [t.accessToken, t.refreshToken]);
			const everything = JSON.stringify(x.out ?? {});
			x.check(tokens.length === 2 && tokens.every((t) => !everything.includes(t)), 'no token Sivi issued appears anywhere in the execution', tokens.length);
			const limit = one('Set Credit Limit');
			x.check(JSON.stringify(limit) === JSON.stringify({ abstractUserId: END_USER, creditLimit: 1, message: 'Credit limit set successfully.' }), 'Set Credit Limit: { abstractUserId, creditLimit, message }', limit);
			const over = one('Design Over Limit');
			x.check(/Not enough Sivi credits/.test(String(over.error)), 'the design over the limit fails the item as a credit problem', over);
			x.check(x.jobs('e2e enduser-over-limit').length === 0, 'no job was created for it');
			const deleted = one('Delete End User');
			x.check(deleted.abstractUserId === END_USER && deleted.deleted === true && typeof deleted.message === 'string', 'Delete: { abstractUserId, deleted: true, message }', deleted);
			x.check(user?.deleted === true && user?.creditLimit === 1 && user?.usedCredits === 0, 'the simulator: end user deleted, limit 1, no credits used', user);
			const c = x.counters;
			x.check(
				anyRoute(c, 'POST super/login-user') === 1 && anyRoute(c, 'POST super/set-user-credit-limit') === 1 && anyRoute(c, 'POST super/delete-user') === 1 && route(c, 'designs-from-prompt') === 1 && c.submits === 0,
				'one request per operation; the refused submit was sent once, not retried',
				c.byRoute,
			);
		},
	},
	siviE2eEndUsrBad1: {
		batch: 'bad-input',
		jobs: {},
		assert(x) {
			x.failedWith(/Credit Limit must be 0 or more, or -1 for no limit/);
			x.check(/Nothing was sent to Sivi/.test(errText(x.error())), 'error says nothing was sent', errText(x.error()));
		},
	},
};
