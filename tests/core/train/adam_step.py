# Reference for test_train.cpp: PyTorch loads voxclone's model + Adam checkpoint, takes one Adam step with a
# given gradient, and saves the parameters and moments — what the C++ side must reproduce.
import sys

import torch

src, grads_path, out = sys.argv[1], sys.argv[2], sys.argv[3]
ckpt = torch.load(src)
model = torch.nn.Linear(3, 2)
model.load_state_dict(ckpt["model_state"])
opt = torch.optim.Adam(model.parameters(), lr=0.5)
opt.load_state_dict(ckpt["optimizer_state"])
grads = torch.load(grads_path)
model.weight.grad = grads["weight"].clone()
model.bias.grad = grads["bias"].clone()
opt.step()
st = opt.state_dict()["state"]
torch.save({"weight": model.weight.detach(), "bias": model.bias.detach(),
            "exp_avg_w": st[0]["exp_avg"], "exp_avg_sq_w": st[0]["exp_avg_sq"],
            "step_w": st[0]["step"].reshape(1), "lr": torch.tensor([opt.param_groups[0]["lr"]])}, out)
