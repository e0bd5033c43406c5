"""[VAR-EBGAN-2] EBGAN's pulling-away term, on the encoder's codes S (one row S_i per generated sample)
of a batch of N:

    f_PT(S) = 1/(N(N − 1)) Σ_i Σ_{j≠i} ( S_iᵀ S_j / (‖S_i‖ ‖S_j‖) )²

the mean SQUARED cosine similarity over the pairs of different samples: 0 when the codes are
orthogonal, 1 when they are all parallel. Added to L_G with the weight 0.1, it pushes the codes of a
batch apart (against mode collapse).
"""
import minigan


def pulling_away(codes):
    """codes: a minigan Tensor of shape (N, s), N ≥ 2. Returns f_PT, a scalar Tensor built from minigan
    operations (minigan.eye(N) is the identity matrix)."""
    ### BEGIN SOLUTION
    n = codes.shape[0]
    unit = codes / (codes * codes).sum(axis=1, keepdims=True).sqrt()
    cosine = unit @ unit.T
    off_diagonal = 1.0 - minigan.eye(n, dtype=codes.dtype)
    return (cosine * cosine * off_diagonal).sum() / (n * (n - 1))
    ### END SOLUTION
