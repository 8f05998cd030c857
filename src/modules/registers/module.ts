import type { ModuleManifest } from '../../platform/http/types.js';

/**
 * Registers held by public bodies (the demo: DWP's benefits register). No pages: other
 * modules match known facts against them through `matchPerson`.
 */
export const registersModule: ModuleManifest = {
  name: 'registers',
  personalData: [
    {
      table: 'register_people',
      description:
        'What a public body’s register holds about you: name, date of birth, National Insurance number and address (used only to check facts you give)',
      retention: 'As long as the body that holds the register keeps it',
    },
  ],
};
