import { Dialog, showDialog } from '@jupyterlab/apputils';
import { nullTranslator } from '@jupyterlab/translation';

import { confirmWarning } from '../dialogs';

jest.mock('@jupyterlab/apputils', () => ({
  ...jest.requireActual('@jupyterlab/apputils'),
  showDialog: jest.fn()
}));

const trans = nullTranslator.load('cloudscapes');
const dialog = showDialog as jest.MockedFunction<typeof showDialog>;

describe('confirmWarning', () => {
  beforeEach(() => dialog.mockReset());

  it('asks with Cancel and the warning button, and says what was chosen', async () => {
    dialog.mockResolvedValue({
      button: Dialog.warnButton(),
      isChecked: true,
      value: null
    });
    const answer = await confirmWarning(trans, {
      title: 'Stop?',
      body: 'It stops.',
      accept: 'Stop it',
      checkbox: { label: 'Also this', checked: false }
    });
    expect(answer).toEqual({ checked: true });
    const options = dialog.mock.calls[0][0] as Dialog.IOptions<unknown>;
    expect(options.title).toBe('Stop?');
    expect(options.checkbox?.label).toBe('Also this');
    expect(options.buttons!.map(b => [b.label, b.displayType])).toEqual([
      ['Cancel', 'default'],
      ['Stop it', 'warn']
    ]);
  });

  it('resolves null when the user cancels', async () => {
    dialog.mockResolvedValue({
      button: Dialog.cancelButton(),
      isChecked: null,
      value: null
    });
    await expect(
      confirmWarning(trans, { title: 'Stop?', body: '', accept: 'Stop' })
    ).resolves.toBeNull();
    const options = dialog.mock.calls[0][0] as Dialog.IOptions<unknown>;
    expect(options.checkbox).toBeUndefined();
  });
});
