// Python text shared by every exported PyTorch script (share/pytorchExport.ts
// for one network, share/ganExport.ts for a GAN's two).

/** Python: fills a torch.nn.Sequential's parameters from base64 float32 and
 * its blocks ((module index, "weight" or "bias", offset, shape), the core's
 * layout); every exported script (single network or GAN) uses it. */
export const LOAD_PARAMETERS_PY = `def load_parameters(net, text, blocks):
    raw = base64.b64decode(text)
    values = torch.tensor(struct.unpack("<%df" % (len(raw) // 4), raw), dtype=torch.float32)
    used = 0
    with torch.no_grad():
        for index, name, offset, shape in blocks:
            tensor = getattr(net[index], name)
            assert list(tensor.shape) == shape, "parameter shape mismatch"
            n = tensor.numel()
            tensor.copy_(values[offset:offset + n].view(shape))
            used += n
    assert used == len(values), "parameter count mismatch"
`;
