// The node keeps one scheduler per Sivi account for the whole process, as n8n does; each test
// starts without what earlier tests taught it (rates cut by 429s, learned job durations).
import { forgetAccounts } from '../../nodes/Sivi/engine/accounts';

beforeEach(() => forgetAccounts());
