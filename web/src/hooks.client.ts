import { z } from 'zod';

// zod compiles object parsers with `new Function` where it can, and its probe for that is reported as a
// violation under our CSP (no 'unsafe-eval') even though zod catches the error. Client hooks load before
// any page module, so every schema built after this (the live contract) is interpreted instead.
z.config({ jitless: true });
