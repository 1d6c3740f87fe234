/**
 * IndexedDB connections that never wait forever and never make another tab wait forever:
 * - `versionchange` (another tab upgrades or deletes the database): this tab closes its connection
 *   at once, so the other tab proceeds; the next operation here opens it again.
 * - `blocked` (this tab needs an upgrade that an old tab holds up) and an open that does not
 *   answer (queued behind another tab's pending upgrade): every waiting operation fails with a
 *   message that says so after at most OPEN_TIMEOUT_MS. The open itself keeps waiting, so the first
 *   operation after the other tab lets go works again.
 * A store opened here is an idb-keyval `UseStore`: every idb-keyval function takes it.
 */
import type { UseStore } from 'idb-keyval';
import { AppError } from '../core/errors';

export const OPEN_TIMEOUT_MS = 8000;

const HINT = 'Close other tabs or windows of DermLIP Explorer (an older version may be holding the storage), then press Refresh or reload this page.';

function blockedError(db: string): AppError {
  return new AppError('storage-unavailable', `The browser's storage (database ${db}) needs an upgrade that another tab of this app is holding up.`, HINT);
}

function slowError(db: string): AppError {
  return new AppError('storage-unavailable', `The browser's storage (database ${db}) did not open within ${OPEN_TIMEOUT_MS / 1000} s: another tab is probably upgrading or holding it.`, HINT);
}

function failedError(db: string, e: unknown): AppError {
  const why = e instanceof DOMException ? `${e.name}: ${e.message}` : String(e);
  return new AppError('storage-unavailable', `The browser's storage (database ${db}) could not be opened (${why}).`, 'Private windows and some browser settings turn storage off; cases and models then last only until the page closes.');
}

interface Connection {
  db: IDBDatabase | null;
  /** The open in progress (null once settled). */
  opening: Promise<IDBDatabase> | null;
  /** Why the open in progress waits (blocked by another tab), for the error of waiting operations. */
  blocked: boolean;
}

/** Open `dbName` with `storeName` in it, upgrading (one version up) when the store is missing. */
function openWith(dbName: string, storeName: string, conn: Connection, version?: number): Promise<IDBDatabase> {
  return new Promise<IDBDatabase>((resolve, reject) => {
    let req: IDBOpenDBRequest;
    try {
      req = version === undefined ? indexedDB.open(dbName) : indexedDB.open(dbName, version);
    } catch (e) {
      reject(failedError(dbName, e));
      return;
    }
    req.onupgradeneeded = () => {
      if (!req.result.objectStoreNames.contains(storeName)) req.result.createObjectStore(storeName);
    };
    req.onblocked = () => {
      conn.blocked = true;
    };
    req.onerror = () => reject(failedError(dbName, req.error));
    req.onsuccess = () => {
      conn.blocked = false;
      const db = req.result;
      if (!db.objectStoreNames.contains(storeName)) {
        // The database exists without our store (made by something else): add it.
        const next = db.version + 1;
        db.close();
        openWith(dbName, storeName, conn, next).then(resolve, reject);
        return;
      }
      resolve(db);
    };
  });
}

/** A key-value store in its own database, with the connection rules above. */
export function idbStore(dbName: string, storeName: string): UseStore {
  const conn: Connection = { db: null, opening: null, blocked: false };
  const forget = (db: IDBDatabase) => {
    if (conn.db === db) conn.db = null;
  };
  const open = (): Promise<IDBDatabase> => {
    if (conn.db) return Promise.resolve(conn.db);
    if (!conn.opening) {
      if (typeof indexedDB === 'undefined') return Promise.reject(failedError(dbName, 'IndexedDB is not available'));
      conn.opening = openWith(dbName, storeName, conn).then(
        (db) => {
          conn.opening = null;
          conn.db = db;
          db.onversionchange = () => {
            db.close();
            forget(db);
          };
          db.onclose = () => forget(db);
          return db;
        },
        (e: unknown) => {
          conn.opening = null;
          throw e;
        },
      );
    }
    const opening = conn.opening;
    // Operations wait a bounded time; the open itself goes on, for the next operation.
    return new Promise<IDBDatabase>((resolve, reject) => {
      const poll = setInterval(() => {
        if (conn.blocked) settle(() => reject(blockedError(dbName)));
      }, 250);
      const timer = setTimeout(() => settle(() => reject(conn.blocked ? blockedError(dbName) : slowError(dbName))), OPEN_TIMEOUT_MS);
      let done = false;
      const settle = (f: () => void) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        clearInterval(poll);
        f();
      };
      opening.then(
        (db) => settle(() => resolve(db)),
        (e: unknown) => settle(() => reject(e)),
      );
    });
  };
  return async (txMode, callback) => {
    let db = await open();
    let tx: IDBTransaction;
    try {
      tx = db.transaction(storeName, txMode);
    } catch (e) {
      // Closed between the open and this transaction (another tab's upgrade): open again, once.
      if (!(e instanceof DOMException && e.name === 'InvalidStateError')) throw e;
      forget(db);
      db = await open();
      tx = db.transaction(storeName, txMode);
    }
    return callback(tx.objectStore(storeName));
  };
}
