"""[WGAN-4 lines 5-7] One critic iteration of Algorithm 1:

    g_w ← ∇_w [(1/m) Σ f_w(x_i) − (1/m) Σ f_w(g_θ(z_i))]     line 5
    w ← w + α · RMSProp(w, g_w)                                line 6 (the optimizer ascends: maximize=True)
    w ← clip(w, −c, c)                                         line 7, every parameter of the CRITIC

The generator is a constant here: compute g_θ(z) under minigan.no_grad(), and leave its weights alone.
"""
import minigan


def critic_step(critic, generator, real, z, optimizer, clip_value):
    """critic, generator: minigan Modules; real (m, d), z (m, latent): Tensors; optimizer: an optimizer
    of the critic's parameters built with maximize=True; clip_value: c. Runs lines 5-7 and returns the
    objective's value (a Python float, before the step)."""
    ### BEGIN SOLUTION
    with minigan.no_grad():
        fake = generator(z)
    objective = critic(real).mean() - critic(fake).mean()
    optimizer.zero_grad()
    objective.backward()
    optimizer.step()
    with minigan.no_grad():
        for w in critic.parameters():
            w.data = w.data.clip(-clip_value, clip_value)
    return objective.item()
    ### END SOLUTION
