import { OperationLabels } from './operation-labels';

describe('OperationLabels', () => {
  it('keeps the first names, then answers other, and names the unnamed', () => {
    const labels = new OperationLabels(2);
    expect(labels.label('ItemsPage')).toBe('ItemsPage');
    expect(labels.label(undefined)).toBe('unnamed');
    expect(labels.label('')).toBe('unnamed');
    expect(labels.label('FileBug')).toBe('FileBug');
    expect(labels.label('Third')).toBe('other');
    expect(labels.label('ItemsPage')).toBe('ItemsPage');
    expect(labels.label('FileBug')).toBe('FileBug');
  });

  it('refuses names that are not GraphQL names', () => {
    const labels = new OperationLabels(10);
    expect(labels.label('a b')).toBe('other');
    expect(labels.label('x'.repeat(101))).toBe('other');
    expect(labels.label('x'.repeat(100))).toBe('x'.repeat(100));
  });
});
