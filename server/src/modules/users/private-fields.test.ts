import { Types } from 'mongoose';
import { UserModel } from './users.model';

describe('private fields never serialise', () => {
  it('drops session_key and password hash from toJSON and toObject, keeping the rest', () => {
    const now = new Date();
    const doc = new UserModel({
      _id: new Types.ObjectId(),
      nickname: '王建国',
      openid: 'oPrivate000000000000000000001',
      sessionKey: 'c2Vzc2lvbi1rZXktc2VjcmV0',
      sessionKeyUpdatedAt: now,
      username: 'wang',
      passwordHash: '$argon2id$v=19$secret',
      roles: [],
      rolesVersion: 0,
      createdAt: now,
      updatedAt: now,
    });
    for (const plain of [doc.toJSON(), doc.toObject(), JSON.parse(JSON.stringify(doc))]) {
      expect(plain).toMatchObject({ nickname: '王建国', openid: 'oPrivate000000000000000000001', username: 'wang' });
      expect(plain).not.toHaveProperty('sessionKey');
      expect(plain).not.toHaveProperty('sessionKeyUpdatedAt');
      expect(plain).not.toHaveProperty('passwordHash');
    }
  });
});
