import { useCheapHashesForTests } from '../../src/modules/identity/index.js';

// Every test process hashes passwords at argon2id's cheapest (see useCheapHashesForTests): the
// suite signs people in thousands of times. src/modules/identity/passwords.test.ts checks the
// real cost.
useCheapHashesForTests();
