// The two copy suggestions the simulator's content-from-prompt answers for the prompt
// 'summer campaign for my t-shirt shop with 20% off' (its documented example), as the simulator
// and unit tests expect them.
export const SUMMER_COPY_FIRST = {
	title: 'Summer campaign for my t-shirt shop',
	offer: 'Limited time: 20% off',
	bulletlist: ['Free shipping', 'Easy returns', 'Made to last'],
	button: 'Shop now',
};

export const SUMMER_COPY_SECOND = {
	supertext: 'New season',
	title: 'Discover summer campaign for my t-shirt shop',
	subtext: 'Made for every day',
	button: 'Learn more',
};
