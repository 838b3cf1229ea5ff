// Structure of the exported script; its predictions are checked against the
// real engine in tests/node/pytorch-export.test.mjs (runs python3-torch).
import { describe, expect, test } from 'vitest';
import { exportPyTorchScript, type ExportInput } from './pytorchExport';
import { paramCount } from './network';

const input: ExportInput = {
  sizes: [3, 4, 2],
  activations: ['leaky_relu', 'softmax'],
  loss: 'ce',
  features: ['x1sq', 'x1', 'sinx2'],
  params: new Float32Array(paramCount([3, 4, 2])).fill(0.5),
};

describe('PyTorch export', () => {
  test('the Sequential, the features in order, predict and __main__', () => {
    const s = exportPyTorchScript(input);
    expect(s).toContain('torch.nn.Linear(3, 4),\n    torch.nn.LeakyReLU(0.01),\n    torch.nn.Linear(4, 2),\n    torch.nn.Softmax(dim=1),\n)');
    const feats = s.indexOf('x1 * x1,  # x1sq');
    expect(feats).toBeGreaterThan(0);
    expect(s.indexOf('x1,  # x1')).toBeGreaterThan(feats);
    expect(s.indexOf('torch.sin(x2),  # sinx2')).toBeGreaterThan(s.indexOf('x1,  # x1'));
    expect(s).toContain('def predict(points):');
    expect(s).toContain('if __name__ == "__main__":');
    expect(s).toContain('CrossEntropyLoss');
  });

  test('a description cannot inject code: every line stays a comment', () => {
    const s = exportPyTorchScript({ ...input, description: 'run\nimport os; os.system("rm -rf /")\r\n"""' });
    for (const line of s.split('\n')) if (line.includes('os.system')) expect(line.startsWith('# ')).toBe(true);
  });

  test('inconsistent inputs are refused', () => {
    expect(() => exportPyTorchScript({ ...input, params: new Float32Array(3) })).toThrow(/parameters/);
    expect(() => exportPyTorchScript({ ...input, features: ['x1'] })).toThrow(/features/);
    expect(() => exportPyTorchScript({ ...input, activations: ['relu'] })).toThrow(/activations/);
    const nan = new Float32Array(paramCount([3, 4, 2]));
    nan[5] = Number.NaN;
    expect(() => exportPyTorchScript({ ...input, params: nan })).toThrow(/finite/);
  });
});
