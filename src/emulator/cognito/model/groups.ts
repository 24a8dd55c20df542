import { CognitoError, resourceNotFound } from '../errors.js';
import type { Group, User, UserPool } from '../state.js';

export function createGroup(
  pool: UserPool,
  input: { GroupName: string; Description?: string | undefined; Precedence?: number | undefined },
  now: number,
): Group {
  if (pool.groups.has(input.GroupName)) {
    throw new CognitoError('GroupExistsException', 'A group with the name already exists.');
  }
  const group = {
    GroupName: input.GroupName,
    Description: input.Description,
    Precedence: input.Precedence,
    CreationDate: now,
  };
  pool.groups.set(group.GroupName, group);
  return group;
}

export function addUserToGroup(pool: UserPool, user: User, groupName: string): void {
  if (!pool.groups.has(groupName)) throw resourceNotFound('Group not found.');
  if (!user.groups.includes(groupName)) user.groups.push(groupName);
}
