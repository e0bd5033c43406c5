"""Every known mistake, planted in minigan's solution, fails with its hint (and the check that caught it)."""
import pytest

from minigan.exercises import grader

# (exercise, the solution's text, the mistake, the failed check contains, the hint contains)
ISSUE_MISTAKES = [
    ("mul", "return unbroadcast(grad * b, a.shape), unbroadcast(grad * a, b.shape)", "return grad * b, grad * a",
     "backward ∂L/∂a", "forgot to unbroadcast"),
    ("matmul", "return grad @ b.T, a.T @ grad", "return grad @ b, a.T @ grad", "backward ∂L/∂A",
     "transposed matmul gradient"),
    ("matmul", "return grad @ b.T, a.T @ grad", "return grad @ b.T, grad.T @ a", "backward ∂L/∂B",
     "transposed matmul gradient"),
    ("adam_step", "m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)", "m_hat, v_hat = m, v",
     "θ_t after step 1", "Adam without bias correction"),
    ("discriminator_loss", "return F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()",
     "return -F.softplus(-real_logits).mean() - F.softplus(fake_logits).mean()", "value",
     "the D loss with the wrong sign"),
    ("batch_norm", "grad_x = gamma * self.inv_std * (g - sum_g / n - self.x_hat * sum_g_x_hat / n)",
     "grad_x = gamma * self.inv_std * g", "backward ∂L/∂x", "mean and variance depend on x"),
    ("batch_norm", "grad_x = gamma * self.inv_std * (g - sum_g / n - self.x_hat * sum_g_x_hat / n)",
     "grad_x = gamma * self.inv_std * (g - sum_g / n)", "backward ∂L/∂x", "mean and variance depend on x"),
    ("gradient_penalty", "create_graph=True", "create_graph=False", "gradient with respect to the critic",
     "not built with create_graph"),
    ("fgsm", "return (x + eps * grad.sign()).clip(0.0, 1.0)", "return (x + eps * grad).clip(0.0, 1.0)", "x_adv",
     "FGSM with the gradient instead of its sign"),
    ("critic_step", "for w in critic.parameters():", "for w in generator.parameters():",
     "the generator's weights are left alone", "clipping the generator instead of the critic"),
]

MORE_MISTAKES = [
    ("unbroadcast", "grad = grad.sum(axis=axes, keepdims=True)", "grad = grad.sum(axis=axes)", "unbroadcast",
     "keep the size-1 axes"),
    ("div", "unbroadcast(-grad * a / (b * b), b.shape)", "unbroadcast(grad * a / (b * b), b.shape)",
     "backward ∂L/∂b", "the minus sign"),
    ("tanh", "return grad * (1.0 - y * y)", "return grad * (1.0 - self.parents[0] * self.parents[0])",
     "backward ∂L/∂x", "not 1 − x²"),
    ("softplus", "return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))", "return np.log(1 + np.exp(x))",
     "forward at extreme inputs", "overflows"),
    ("exp", "return grad * self.output()", "return grad * minigan.Tensor(self.output().data)\nimport minigan",
     "second derivative", "raw arrays"),
    ("sum", "return grad.reshape(self.kept).broadcast_to(self.shape)", "return grad.broadcast_to(self.shape)",
     "backward ∂L/∂x", "reshape G to the kept shape"),
    ("getitem", "np.add.at(out, self.index, grad.data)", "out[self.index] = grad.data", "backward ∂L/∂x",
     "SUM of its gradients"),
    ("backward", "grads[id(parent)] = grads[id(parent)] + pg if id(parent) in grads else pg",
     "grads[id(parent)] = pg", "backward: x.grad", "used twice"),
    ("backward", "pg = minigan.unbroadcast(pg, parent.shape)", "pass", "backward: b.grad", "unbroadcast"),
    ("linear", "return grad @ weight, grad.T @ x, grad.sum(axis=0)",
     "return grad @ weight, x.T @ grad, grad.sum(axis=0)", "backward ∂L/∂W", "Gᵀ x"),
    ("conv2d", "weight.transpose(0, 2, 3, 1).reshape(out_channels, k * k * c)",
     "weight.reshape(out_channels, k * k * c)",
     "forward", "(k, k, C) order"),
    ("bce_with_logits", "return (F.softplus(logits) - logits * target).mean()",
     "return -(target * logits.sigmoid().log() + (1 - target) * (1 - logits.sigmoid()).log()).mean()",
     "±1000", "softplus(−a)"),
    ("minimax_generator_loss", "return -F.softplus(fake_logits).mean()", "return F.softplus(-fake_logits).mean()",
     "value", "non-saturating"),
    ("update_k", "return min(max(k_t + lambda_k * (gamma * loss_real - loss_fake), 0.0), 1.0)",
     "return k_t + lambda_k * (gamma * loss_real - loss_fake)", "k_{t+1}", "clip"),
    ("convergence_measure", "return loss_real + abs(gamma * loss_real - loss_fake)",
     "return loss_real + (gamma * loss_real - loss_fake)", "M_global", "absolute value"),
    ("began_losses", "with minigan.no_grad():\n        fake_D", "if True:\n        fake_D",
     "does not reach the generator", "constant for D"),
    ("rmsprop_step", "np.sqrt(v) + eps", "np.sqrt(v + eps)", "θ_t after step 1", "outside the square root"),
    ("optimistic_adam_step", "+ lr * previous", "- lr * previous", "θ_t after step 2", "+η d_{t−1}"),
    ("omd_bilinear", "x - 2 * lr * grad_x + lr * previous_x, y + 2 * lr * grad_y - lr * previous_y",
     "x - lr * grad_x, y + lr * grad_y", "path", "OPT-GD"),
    ("pgd", "step.clip(x.data - eps, x.data + eps).clip(0.0, 1.0)", "step.clip(0.0, 1.0)", "x_adv",
     "ε-ball around the ORIGINAL x"),
    ("adversarial_loss", "alpha * F.cross_entropy(model(x), y) + (1.0 - alpha) * F.cross_entropy(model(x_adv), y)",
     "(1.0 - alpha) * F.cross_entropy(model(x), y) + alpha * F.cross_entropy(model(x_adv), y)", "J̃",
     "α weighs the CLEAN loss"),
    ("conditional_discriminator_loss", "discriminator(fake, fake_labels)", "discriminator(fake, labels)", "value",
     "ITS OWN label"),
    ("conditional_discriminator_loss",
     "discriminator(x, labels)).mean() + F.softplus(discriminator(fake, fake_labels))",
     "discriminator(x)).mean() + F.softplus(discriminator(fake))", "value", "take the labels too"),
    ("conditional_generator_loss", "return F.softplus(-discriminator(generator(z, labels), labels)).mean()",
     "return -F.softplus(discriminator(generator(z, labels), labels)).mean()", "value", "non-saturating"),
    ("aae_discriminator_loss", "with minigan.no_grad():\n        codes", "if True:\n        codes",
     "does not reach the encoder", "encoder is fixed during D's update"),
    ("aae_discriminator_loss", "F.softplus(-discriminator(z_prior)).mean() + F.softplus(discriminator(codes)).mean()",
     "F.softplus(-discriminator(codes)).mean() + F.softplus(discriminator(z_prior)).mean()", "value",
     "prior's samples z′ are the REAL ones"),
    ("aae_encoder_loss", "return F.softplus(-discriminator(encoder(x))).mean()",
     "return -F.softplus(discriminator(encoder(x))).mean()", "value", "non-saturating"),
    ("ebgan_margin_loss", "return energy_real.mean() + F.relu(margin - energy_fake).mean()",
     "return F.relu(margin - energy_real).mean() + energy_fake.mean()", "L_D", "the margin applies to the FAKES"),
    ("ebgan_margin_loss", "return energy_real.mean() + F.relu(margin - energy_fake).mean()",
     "return energy_real.mean() + F.relu(margin - energy_fake.mean())", "L_D", "each fake's energy"),
    ("pulling_away", "off_diagonal = 1.0 - minigan.eye(n, dtype=codes.dtype)", "off_diagonal = 1.0", "f_PT",
     "leave the diagonal out"),
    ("pulling_away", "return (cosine * cosine * off_diagonal)", "return (cosine * off_diagonal)", "f_PT",
     "SQUARED"),
    ("ali_losses", "real_logits = discriminator(x, encoder(x))", "real_logits = discriminator(encoder(x), x)",
     "L_D", "order (x, z)"),
    ("ali_losses", "loss_eg = F.softplus(real_logits).mean() + F.softplus(-fake_logits).mean()",
     "loss_eg = -loss_d", "L_EG", "flip the labels"),
    ("sghmc_step", "noise = np.sqrt(2 * alpha * lr) * xi", "noise = 2 * alpha * lr * xi", "v", "VARIANCE is 2αη"),
    ("sghmc_step", "v = (1 - alpha) * v + lr * grad_log_p + noise\n    return theta + v, v",
     "new_v = (1 - alpha) * v + lr * grad_log_p + noise\n    return theta + v, new_v", "θ", "NEW velocity"),
]


@pytest.mark.parametrize("name, old, new, check, hint", ISSUE_MISTAKES + MORE_MISTAKES,
                         ids=[f"{m[0]}-{i}" for i, m in enumerate(ISSUE_MISTAKES + MORE_MISTAKES)])
def test_a_known_mistake_is_named(grade_planted, name, old, new, check, hint):
    for seed in (3, 4):
        verdict = grade_planted(name, old, new, seed=seed)
        assert verdict.status == grader.FAILED, verdict.text()
        assert check in verdict.check, verdict.text()
        assert verdict.hint and hint in verdict.hint, verdict.text()
        assert f"hint: {verdict.hint}" in verdict.text()


def test_a_failed_value_names_the_worst_element_expected_and_got(grade_planted):
    verdict = grade_planted("matmul", "return grad @ b.T, a.T @ grad", "return grad @ b, a.T @ grad")
    assert verdict.where is not None and len(verdict.where) == 2
    assert float(verdict.expected) != float(verdict.got)
    text = verdict.text()
    assert f"expected {verdict.expected}" in text and f"got      {verdict.got}" in text and "worst element" in text
