/** Handshake and administrative commands: hello, ping, buildInfo, create/drop, list*, dropIndexes. */
import { Schema } from 'mongoose';
import { useClients } from './target';

const c = useClients('conf_admin');

describe('handshake and server info', () => {
  test('hello presents a writable primary of a one-member replica set with sessions', async () => {
    const hello = await c.db.admin().command({ hello: 1 });
    expect(hello.isWritablePrimary).toBe(true);
    expect(typeof hello.setName).toBe('string');
    expect(hello.hosts).toHaveLength(1);
    expect(hello.logicalSessionTimeoutMinutes).toBeGreaterThan(0);
    expect(hello.maxWireVersion).toBeGreaterThanOrEqual(9);
  });

  test('ping and buildInfo answer ok', async () => {
    expect((await c.db.admin().ping()).ok).toBe(1);
    const info = await c.db.admin().buildInfo();
    expect(info.ok).toBe(1);
    expect(typeof info.version).toBe('string');
  });
});

describe('collections and databases', () => {
  test('create makes an empty collection listCollections shows; creating it twice fails with 48', async () => {
    await c.db.createCollection('made');
    const names = (await c.db.listCollections().toArray()).map((x) => x.name);
    expect(names).toContain('made');
    const only = await c.db.listCollections({ name: 'made' }).toArray();
    expect(only).toHaveLength(1);
    expect(only[0]).toMatchObject({ name: 'made', type: 'collection' });
    await expect(c.db.createCollection('made')).rejects.toMatchObject({ code: 48, codeName: 'NamespaceExists' });
  });

  test('listCollections with nameOnly and a filter', async () => {
    await c.coll('implicit').insertOne({ a: 1 });
    const res = await c.db.listCollections({ name: { $in: ['implicit', 'made', 'none'] } }, { nameOnly: true }).toArray();
    expect(res.map((x) => x.name).sort()).toEqual(['implicit', 'made']);
  });

  test('drop removes a collection; dropping a missing one is not an error for the driver', async () => {
    await c.coll('todrop').insertOne({ a: 1 });
    expect(await c.coll('todrop').drop()).toBe(true);
    expect((await c.db.listCollections({ name: 'todrop' }).toArray()).length).toBe(0);
    expect(await c.coll('todrop').countDocuments()).toBe(0);
    // MongoDB 7+ answers ok, older ones NamespaceNotFound which the driver turns into false.
    await expect(c.coll('never_existed').drop()).resolves.toEqual(expect.any(Boolean));
  });

  test('listDatabases includes a database once it holds data; dropDatabase removes it', async () => {
    const other = c.client.db('conf_admin_other');
    await other.collection('x').insertOne({ a: 1 });
    const { databases } = await c.db.admin().listDatabases();
    expect(databases.map((d) => d.name)).toEqual(expect.arrayContaining(['conf_admin', 'conf_admin_other']));
    const nameOnly = await c.db.admin().command({ listDatabases: 1, nameOnly: true });
    expect(nameOnly.databases.map((d: { name: string }) => d.name)).toContain('conf_admin_other');
    await other.dropDatabase();
    const after = await c.db.admin().listDatabases();
    expect(after.databases.map((d) => d.name)).not.toContain('conf_admin_other');
    expect(await other.collection('x').countDocuments()).toBe(0);
  });
});

describe('indexes: create, list, drop', () => {
  test('listIndexes shows _id_ and created indexes with their options', async () => {
    const coll = c.coll('idx');
    await coll.insertOne({ a: 1 });
    await coll.createIndex({ a: 1 }, { unique: true });
    await coll.createIndex({ b: 1, c: -1 }, { name: 'bc', sparse: true });
    await coll.createIndex({ d: 1 }, { partialFilterExpression: { d: { $exists: true } } });
    await coll.createIndex({ at: 1 }, { expireAfterSeconds: 3600 });
    const list = await coll.listIndexes().toArray();
    const byName = Object.fromEntries(list.map((i) => [i.name as string, i]));
    expect(Object.keys(byName).sort()).toEqual(['_id_', 'a_1', 'at_1', 'bc', 'd_1']);
    expect(byName._id_).toMatchObject({ key: { _id: 1 }, v: 2 });
    expect(byName.a_1).toMatchObject({ key: { a: 1 }, unique: true });
    expect(byName.bc).toMatchObject({ key: { b: 1, c: -1 }, sparse: true });
    expect(byName.d_1).toMatchObject({ partialFilterExpression: { d: { $exists: true } } });
    expect(byName.at_1).toMatchObject({ expireAfterSeconds: 3600 });
  });

  test('creating the same index again is a no-op', async () => {
    const coll = c.coll('idx_again');
    expect(await coll.createIndex({ a: 1 })).toBe('a_1');
    expect(await coll.createIndex({ a: 1 })).toBe('a_1');
    expect(await coll.listIndexes().toArray()).toHaveLength(2);
  });

  test('dropIndex by name and by key, dropIndexes drops all but _id, missing index fails with 27', async () => {
    const coll = c.coll('idx_drop');
    await coll.insertOne({ a: 1 });
    await coll.createIndexes([{ key: { a: 1 } }, { key: { b: 1 } }, { key: { c: 1 } }]);
    await coll.dropIndex('a_1');
    await c.db.command({ dropIndexes: 'idx_drop', index: { b: 1 } });
    expect((await coll.listIndexes().toArray()).map((i) => i.name).sort()).toEqual(['_id_', 'c_1']);
    await expect(coll.dropIndex('zzz_1')).rejects.toMatchObject({ code: 27, codeName: 'IndexNotFound' });
    await coll.dropIndexes();
    expect((await coll.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
  });

  test('listIndexes on a missing collection fails with NamespaceNotFound (26)', async () => {
    await expect(c.coll('no_such_coll').listIndexes().toArray()).rejects.toMatchObject({ code: 26 });
  });
});

describe('mongoose schema setup', () => {
  test('Model.init creates the collection and the schema indexes; syncIndexes drops stale ones', async () => {
    const schema = new Schema({ email: { type: String, unique: true }, city: { type: String, index: true } });
    const M = c.conn.model('Member', schema);
    await M.init();
    const names = (await c.coll('members').listIndexes().toArray()).map((i) => i.name).sort();
    expect(names).toEqual(['_id_', 'city_1', 'email_1']);
    await c.coll('members').createIndex({ stale: 1 });
    await M.syncIndexes();
    const after = (await c.coll('members').listIndexes().toArray()).map((i) => i.name).sort();
    expect(after).toEqual(['_id_', 'city_1', 'email_1']);
  });
});
