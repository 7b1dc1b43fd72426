import { getAssumedMasterState, getChangedDocumentsSince, getComposedPrimaryKeyOfDocumentData, writeDocToDocState } from 'rxdb';
import type { RxReplicationState } from 'rxdb/plugins/replication';

const PAGE_SIZE = 500;

/**
 * The ids of the local documents the server has not accepted yet, from what RxDB stores: the
 * documents changed since the replication's persisted upstream checkpoint whose state differs
 * from the master state RxDB assumes for them (the same test its upstream uses to decide what
 * to push). Read from storage, it survives an app restart, unlike a counter kept in memory.
 * None until the replication has started.
 */
export async function pendingPushIds(replication: RxReplicationState<any, any>): Promise<string[]> {
  const state = replication.internalReplicationState;
  if (!state) return [];
  const { forkInstance, metaInstance, conflictHandler } = state.input;
  const checkpointId = getComposedPrimaryKeyOfDocumentData(metaInstance.schema, { itemId: 'up', isCheckpoint: '1' });
  let checkpoint = (await metaInstance.findDocumentsById([checkpointId], false))[0]?.checkpointData;
  const pending: string[] = [];
  for (;;) {
    const changed = await getChangedDocumentsSince(forkInstance, PAGE_SIZE, checkpoint);
    if (changed.documents.length === 0) return pending;
    const assumed = await getAssumedMasterState(state, changed.documents.map((doc) => String(doc[state.primaryPath])));
    for (const doc of changed.documents) {
      const master = assumed[String(doc[state.primaryPath])];
      // A resolved conflict's revision marks a fork state that still has to go up.
      const pushed = master !== undefined && master.metaDocument.isResolvedConflict !== doc._rev && conflictHandler.isEqual(master.docData, writeDocToDocState(doc, state.hasAttachments, false), 'upstream-check-if-equal');
      if (!pushed) pending.push(String(doc[state.primaryPath]));
    }
    checkpoint = changed.checkpoint;
  }
}
