// At most `limit` tasks at once, first come first served: a few lines instead of a runtime
// import that not every n8n version lends to community packages.
export function limitConcurrency(limit: number) {
	let active = 0;
	const queue: Array<() => void> = [];
	const next = () => {
		if (active >= limit) return;
		const start = queue.shift();
		if (start) start();
	};
	return async <T>(task: () => Promise<T>): Promise<T> =>
		await new Promise<T>((resolve, reject) => {
			queue.push(() => {
				active++;
				task()
					.then(resolve, reject)
					.finally(() => {
						active--;
						next();
					});
			});
			next();
		});
}
