import { EdgeFlagClient } from '../../dist/workerd.js';
export default { async fetch() { return Response.json({ value: typeof EdgeFlagClient === 'function' }); } };
