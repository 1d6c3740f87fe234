import { describe, expect, it } from 'vitest';
import { badCheckpoints } from '../../../test/helpers/bad-checkpoints';
import { fileSource } from '../../../test/helpers/checkpoints';
import { ARCHITECTURES, checkTensors, expectedTensors } from './architectures';
import { openCheckpoint } from './checkpoint';

const tiny = ARCHITECTURES.find((a) => a.id === 'demo-tiny')!;

describe('a checkpoint that is not what it should be is refused with a specific message', () => {
  for (const bad of badCheckpoints()) {
    it(bad.what, async () => {
      const src = fileSource(bad.path);
      const err = await (async () => {
        const index = await openCheckpoint(src);
        checkTensors(index, expectedTensors(tiny.model), tiny);
      })().then(
        () => null,
        (e: Error) => e,
      );
      expect(err, `${bad.what} was accepted`).not.toBeNull();
      expect(err!.message).toMatch(bad.message);
    });
  }
});
