import type { ModuleManifest } from '../../platform/http/types.js';
import { attachmentsPersonalData } from './queries/personal-data.js';
import { attachmentOutboxHandlers, eraseForAccount } from './commands/attachments.js';
import { downloadRoutes } from './pages/download/routes.js';
import { disposeFileStore, fileStoreFor } from './store/configured.js';

/**
 * Attachments: files people upload with their applications, streamed to the file store (local
 * disk or an S3-compatible bucket), their type sniffed from their content, zip bombs refused, and
 * served only to the uploader and to caseworkers of the body that received them (audited).
 * Uploads never sent are deleted after 28 days.
 */
export const attachmentsModule: ModuleManifest = {
  name: 'attachments',
  hooks(app, context) {
    app.decorate('attachmentServices', {
      db: context.db,
      store: fileStoreFor(context.config),
      config: context.config,
    });
    app.addHook('onClose', async () => disposeFileStore(context.config));
  },
  routes(app) {
    downloadRoutes(app, app.attachmentServices);
  },
  outboxHandlers: (context) => attachmentOutboxHandlers(fileStoreFor(context.config)),
  async onAccountEvent(trx, event) {
    if (event.type === 'deleted') await eraseForAccount(trx, event.userId);
  },
  personalDataOf: attachmentsPersonalData,
  personalData: [
    {
      table: 'attachments',
      description:
        'Files you uploaded with an application: the file, its name, type, size and when you uploaded it',
      retention:
        'A file you never sent is deleted after 28 days, or when you delete your account; a file sent with an application stays with the body that received it, as the application does',
    },
  ],
};
