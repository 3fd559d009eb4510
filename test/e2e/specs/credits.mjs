// e2e expectations for credits (test/e2e/workflows/credits-*.json): a dry run of 20 items of each
// paid operation (Generate, Create From Content, Create From Prompt) in its own batch, where the
// simulator's counters prove that nothing was submitted or uploaded (the default brand's lookup
// is the only request); then the same 20 items submitted in the next batch (waiting, so every job
// has finished by the suite-wide checks), whose bodies must equal the dry run's field for field;
// and a run above Max Credits per Run, refused in the 'bad-input' batch (nothing reaches the
// simulator there).
import { canonical } from '../lib/specHelpers.mjs';

const N = 20;
const OPERATIONS = [
	{ node: 'Generate', path: 'media/generate', marker: 'e2e-credits-gen' },
	{ node: 'Content', path: 'designs-from-content', marker: 'e2e-credits-cfc' },
	{ node: 'Prompt', path: 'designs-from-prompt', marker: 'e2e-credits-cfp' },
];

/** The dry run's items per simulator (one per n8n version), for the real run's batch. */
const dryRuns = new Map();

const pairedTo = (items) =>
	items.map((it) => (Array.isArray(it.pairedItem) ? it.pairedItem[0] : it.pairedItem)?.item);

export const batches = [{ name: 'credits-dry' }, { name: 'credits-real' }];

export const specs = {
	siviE2eCredDry01: {
		batch: 'credits-dry',
		jobs: {},
		assert(x) {
			x.succeeded();
			const shown = {};
			for (const { node, path, marker } of OPERATIONS) {
				const items = x.items(`Dry ${node}`);
				shown[node] = items.map((it) => it.json);
				x.check(
					items.length === N &&
						items.every(
							(it, i) =>
								it.json.dryRun === true &&
								it.json.endpoint === `general/${path}` &&
								JSON.stringify(it.json.body).includes(`${marker}`) &&
								JSON.stringify(it.json.body).includes(` ${i}"`) &&
								typeof it.json.credits?.basis === 'string',
						),
					`Dry ${node}: ${N} items, each { dryRun, endpoint, body, credits } of its own input item`,
					items.slice(0, 2).map((it) => it.json),
				);
				x.check(JSON.stringify(pairedTo(items)) === JSON.stringify([...Array(N).keys()]), `Dry ${node}: pairedItem 0…${N - 1}`, pairedTo(items));
			}
			dryRuns.set(x.sim.origin, shown);
			const c = x.counters;
			x.check(c.submits === 0 && c.submitAttempts === 0, 'dry run: the simulator saw no submit', { submits: c.submits, attempts: c.submitAttempts });
			x.check(
				Object.keys(c.byRoute).every((route) => route === 'POST general/brand/get') && c.requests === (c.byRoute['POST general/brand/get'] ?? 0),
				'dry run: the only requests read the default brand (no upload, no media/create, no job)',
				c.byRoute,
			);
		},
	},
	siviE2eCredReal1: {
		batch: 'credits-real',
		jobs: Object.fromEntries(OPERATIONS.map(({ marker }) => [marker, N])),
		assert(x) {
			x.succeeded();
			const dry = dryRuns.get(x.sim.origin);
			x.check(!!dry, 'the dry run of the same items ran in the batch before', Object.keys(dryRuns));
			for (const { node, marker } of OPERATIONS) {
				const items = x.items(`Real ${node}`);
				const jobs = x.expectJobs(marker, N);
				const sent = items.map((it) => jobs.find((job) => job.requestId === it.json.requestId)?.payload);
				x.check(
					items.length === N && canonical(sent) === canonical(dry?.[node]?.map((json) => json.body)),
					`${node}: the dry run's ${N} bodies equal, field for field, what the real run sent, item by item`,
					{ sent: sent[0], shown: dry?.[node]?.[0]?.body },
				);
				x.check(
					canonical(items.map((it) => it.json.credits)) === canonical(dry?.[node]?.map((json) => json.credits)),
					`${node}: each item carries the estimate its dry run showed`,
					items[0]?.json.credits,
				);
			}
		},
	},
	siviE2eCredBudg1: {
		batch: 'bad-input',
		jobs: {},
		assert(x) {
			x.failedWith(/This run would use up to 20 credits for 20 items, more than Max Credits per Run \(10\)/);
			x.check(/^Nothing was sent to Sivi\./.test(`${x.error()?.description ?? ''}`), 'error says nothing was sent', x.error()?.description);
		},
	},
};
