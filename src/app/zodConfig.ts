import { z } from 'zod';

// Zod's JIT probes `new Function`, which the page's strict CSP reports as a violation even though
// the probe is caught; the interpreter path is fast enough for our small schemas.
z.config({ jitless: true });
